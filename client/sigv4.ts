import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Signs a request for an AWS service (API Gateway by default) and returns the headers to send. */
export type RequestSigner = (
  request: RequestToSign,
  signingDate?: Date,
) => Promise<Record<string, string>>;

/**
 * SHA-256 and HMAC-SHA-256 on node:crypto, in the shape the SigV4 signer expects: constructed
 * with a secret it is an HMAC, without one a plain hash.
 */
class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export function createSigV4Signer(
  region: string,
  credentials: CredentialsProvider,
  service = 'execute-api',
): RequestSigner {
  const signer = new SignatureV4({
    service,
    region,
    credentials,
    sha256: NodeSha256,
  });
  return async (request, signingDate) => {
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        ...(request.url.port ? { port: Number(request.url.port) } : {}),
        // As sent on the wire (already percent-encoded); the signer encodes it once more, as
        // SigV4 requires for every service but S3.
        path: request.url.pathname,
        query: queryOf(request.url),
        headers: { ...request.headers, host: request.url.host },
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      signingDate ? { signingDate } : {},
    );
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const previous = query[key];
    query[key] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

/** The default AWS credential chain (environment, SSO, profiles, IMDS, ...), loaded on demand. */
export async function defaultCredentials(): Promise<CredentialsProvider> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

/** The default credential chain, loaded on the first call and reused. */
export function lazyDefaultCredentials(): CredentialsProvider {
  let chain: Promise<CredentialsProvider> | undefined;
  return async () => {
    chain ??= defaultCredentials();
    return (await chain)();
  };
}
