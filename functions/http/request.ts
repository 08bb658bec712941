import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Policy } from '#domain/access.ts';
import { InvalidJsonError, ValidationError } from '#domain/errors.ts';
import { type JsonValue, parseJson } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import {
  parsePrincipalPolicies,
  policyOfCaller,
  principalPoliciesVariable,
} from './caller-policy.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import { isUtf8OrUndeclared, parseMediaType, strictUtf8 } from './media-type.ts';

/** What a handler needs of an API Gateway (HTTP API, payload 2.0) request. */
export interface HttpRequest {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** Lower-case names, as API Gateway delivers them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Percent-decoded. */
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly actor: string;
  /** What the caller may read and write, by name prefix (docs/access.md). */
  readonly policy: Policy;
}

/** IAM principals' access by prefix, read once at load: a bad mapping fails the deployment. */
const principalPolicies = parsePrincipalPolicies(process.env[principalPoliciesVariable]);

export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  return {
    requestId: event.requestContext.requestId,
    method: event.requestContext.http.method,
    path: event.rawPath,
    headers: definedOnly(event.headers),
    query: definedOnly(event.queryStringParameters),
    pathParameters: decodePathParameters(definedOnly(event.pathParameters)),
    body: bodyText(event),
    actor: actorOf(event),
    policy: policyOfCaller(
      (event.requestContext as { authorizer?: unknown }).authorizer,
      principalPolicies,
    ),
  };
}

/** The JSON body, or undefined when there is none; anything else that is not JSON is refused. */
export function readJsonBody(
  request: HttpRequest,
  maxBytes: number = limits.requestBodyMaxBytes,
): JsonValue | undefined {
  if (request.body === undefined || request.body.trim() === '') return undefined;
  const contentType = request.headers['content-type'];
  if (
    contentType !== undefined &&
    !/^application\/([\w.+-]+\+)?json$/.test(parseMediaType(contentType).type)
  ) {
    throw new UnsupportedMediaTypeError(
      `Content-Type ${contentType} is not supported; send JSON with Content-Type: application/json.`,
    );
  }
  const size = Buffer.byteLength(request.body, 'utf8');
  if (size > maxBytes) {
    throw new PayloadTooLargeError(
      `The request body is ${size} bytes; the limit is ${maxBytes} bytes.`,
    );
  }
  return parseJson(request.body);
}

/**
 * The body as text, only if it is UTF-8: API Gateway hands over binary bodies (any but a few text
 * types, or one declared in another charset) as base64, and those bytes are decoded strictly,
 * never with replacement characters that would be stored in place of what was sent.
 */
function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined) return undefined;
  const contentType = event.headers['content-type'];
  const mediaType = contentType === undefined ? undefined : parseMediaType(contentType);
  if (mediaType !== undefined && !isUtf8OrUndeclared(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `The body is declared as charset ${mediaType.charset}; send it as UTF-8 (charset=utf-8, or no charset).`,
    );
  }
  return event.isBase64Encoded ? decodeUtf8(Buffer.from(event.body, 'base64')) : event.body;
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new InvalidJsonError(
      `The body is not valid UTF-8 (byte offset ${invalidUtf8Offset(bytes)}); JSON must be sent as UTF-8.`,
    );
  }
}

/**
 * Where the first sequence that is not UTF-8 starts. The longest prefix that decodes as the start
 * of a UTF-8 text (found by halving) may end inside that sequence, cut short: then it starts at
 * the prefix's last lead byte.
 */
function invalidUtf8Offset(bytes: Buffer): number {
  let valid = 0;
  let invalid = bytes.length + 1;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    if (decodes(bytes.subarray(0, middle), { stream: true })) valid = middle;
    else invalid = middle;
  }
  if (decodes(bytes.subarray(0, valid), { stream: false })) return valid;
  const tail = bytes.subarray(Math.max(0, valid - 3), valid);
  return valid - tail.length + tail.findLastIndex((byte) => byte >= 0xc0);
}

function decodes(bytes: Buffer, options: { stream: boolean }): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, options);
    return true;
  } catch {
    return false;
  }
}

function definedOnly(
  record: Record<string, string | undefined> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function decodePathParameters(parameters: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    try {
      decoded[key] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      throw new ValidationError(`The ${key} in the path is not valid percent-encoding.`);
    }
  }
  return decoded;
}

const nonEmptyText = () => z.string().check(z.minLength(1));
const authorizerSchema = z.object({
  iam: z.optional(z.object({ userArn: nonEmptyText() })),
  jwt: z.optional(z.object({ claims: z.object({ sub: nonEmptyText() }) })),
  lambda: z.optional(z.object({ actor: nonEmptyText() })),
});

/**
 * Who is calling, as the API Gateway authorizer established it: an IAM principal, a JWT subject,
 * or (the local stack and custom authorizers) a Lambda authorizer's `actor`. Never a header the
 * caller could forge.
 */
function actorOf(event: APIGatewayProxyEventV2): string {
  const context = event.requestContext as { authorizer?: unknown };
  const authorizer = authorizerSchema.safeParse(context.authorizer ?? {});
  if (!authorizer.success) return 'anonymous';
  const { iam, jwt, lambda } = authorizer.data;
  const actor = iam?.userArn ?? jwt?.claims.sub ?? lambda?.actor ?? 'anonymous';
  return actor.slice(0, limits.actorMaxLength);
}
