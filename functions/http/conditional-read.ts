import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { revisionHeader } from './responses.ts';

type LambdaResult = APIGatewayProxyStructuredResultV2;

/** What a 304 keeps of the 200 it stands for (RFC 9110 §15.4.5), besides the request id. */
const keptOnNotModified = ['etag', revisionHeader, 'cache-control', 'x-request-id'];

/**
 * Every successful read carries an ETag, and a read whose If-None-Match holds that ETag is
 * answered 304 with no body: the client's copy is still what it would get.
 *
 * The ETag is one a handler set (an entry's `"<version>"`: its body is a function of its name and
 * version alone, and the same tag serves If-Match on writes), else `"<revision>.<hash>"`: the
 * revision the read shows and a hash of the body. A hash of the bytes is right by construction
 * for every read, including those whose body is not a function of the revision alone (health,
 * an export's `exportedAt`); the revision makes the tag readable. It saves the transfer and the
 * client's parsing, not the read itself.
 */
export function answerConditionally(
  method: string,
  ifNoneMatch: string | undefined,
  result: LambdaResult,
): LambdaResult {
  if (method !== 'GET' || result.statusCode !== 200) return result;
  const headers = result.headers ?? {};
  const etag = String(headers.etag ?? bodyEtag(result.body ?? '', headers[revisionHeader]));
  const tagged = { ...result, headers: { ...headers, etag } };
  if (ifNoneMatch === undefined || !anyTagMatches(ifNoneMatch, etag)) return tagged;
  return {
    statusCode: 304,
    headers: Object.fromEntries(
      Object.entries(tagged.headers).filter(([name]) => keptOnNotModified.includes(name)),
    ),
    body: '',
  };
}

function bodyEtag(body: string, revision: string | number | boolean | undefined): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return revision === undefined ? `"${hash}"` : `"${revision}.${hash}"`;
}

/** If-None-Match compares weakly: `*`, or any of a list of tags, W/ or not. */
function anyTagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}
