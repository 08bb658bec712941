import type { Auth } from './http.ts';
import { type CredentialsProvider, createSigV4Signer, lazyDefaultCredentials } from './sigv4.ts';

/** No credential: the local stack, or an API open to its network. */
export const noAuth: Auth = { kind: 'none' };

/**
 * A JWT for an API deployed in JWT mode: the token, or a function giving the current one (asked
 * before each request; none sends the request without a token).
 */
export function bearerAuth(token: string | (() => string | undefined)): Auth {
  return { kind: 'bearer', token };
}

/**
 * SigV4 for an API deployed in IAM mode: signed for `execute-api` in `region` with the given
 * credentials, else the default AWS credential chain (environment, SSO, profiles, the Lambda's
 * role...), loaded on the first request and reused.
 */
export function sigv4Auth(region: string, credentials?: CredentialsProvider): Auth {
  const provider = credentials ?? lazyDefaultCredentials();
  return { kind: 'sigv4', sign: createSigV4Signer(region, provider) };
}
