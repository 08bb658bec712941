import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A request as a server receives it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query exactly as sent on the request line. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders | Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The SigV4 signature a server expects for a request, computed from the specification
 * (canonical request, string to sign, derived key) independently of the CLI's signer: the
 * headers named in SignedHeaders, the body as received, the path encoded once more.
 */
export function expectedSignature(
  request: ReceivedRequest,
  credentials: { readonly secretAccessKey: string },
  region: string,
  service = 'execute-api',
): string {
  const signedHeaders =
    /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  const [path = '', query = ''] = request.url.split('?');
  const canonicalRequest = [
    request.method,
    path.split('/').map(encode).join('/'),
    canonicalQuery(query),
    signedHeaders.map((name) => `${name}:${String(request.headers[name]).trim()}\n`).join(''),
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [day, region, service, 'aws4_request'].reduce<Buffer | string>(
    (previous, part) => hmac(previous, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  return hmac(key, stringToSign).toString('hex');
}

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => pair.split('=').map((part) => encode(decodeURIComponent(part))))
    .map(([name = '', value = '']) => `${name}=${value}`)
    .sort()
    .join('&');
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
