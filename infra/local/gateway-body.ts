import { isUtf8OrUndeclared, parseMediaType, strictUtf8 } from '#http/media-type.ts';

/** How API Gateway (HTTP API, payload 2.0) hands a request body to Lambda. */
export interface LambdaBody {
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
}

/** Media types API Gateway passes as text; every other body, or none declared, is binary. */
const textMediaType = /^(text\/[\w.+-]+|application\/(json|xml|javascript))$/;

/**
 * The body as API Gateway would put it in the event: text for a text media type (with no
 * charset, or UTF-8), base64 for anything else, so that the function sees the bytes the client
 * sent. The documentation says "if the content type of the request is binary, the body is
 * base64-encoded" without listing the types; this list is the one observed on AWS. What AWS does
 * with bytes that are not UTF-8 under a text type is not documented: here they go as base64 too,
 * never decoded lossily, so the function can refuse them.
 */
export function lambdaBody(bytes: Buffer, contentType: string | undefined): LambdaBody {
  if (bytes.length === 0) return { body: undefined, isBase64Encoded: false };
  const text = isDeclaredText(contentType) ? utf8OrUndefined(bytes) : undefined;
  return text === undefined
    ? { body: bytes.toString('base64'), isBase64Encoded: true }
    : { body: text, isBase64Encoded: false };
}

function isDeclaredText(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = parseMediaType(contentType);
  return textMediaType.test(mediaType.type) && isUtf8OrUndeclared(mediaType);
}

function utf8OrUndefined(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
