import type { Args } from './args.ts';
import type { Auth } from './client.ts';
import { UsageError } from './errors.ts';
import type { CredentialsProvider } from './sigv4.ts';

const executeApiHost = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** True for the default endpoint of an API Gateway API, which only takes signed requests. */
export function isExecuteApiHost(hostname: string): boolean {
  return executeApiHost.test(hostname);
}

export function regionFromHost(hostname: string): string | undefined {
  return executeApiHost.exec(hostname)?.[1];
}

export const defaultBaseUrl = 'http://127.0.0.1:4000';

/** The API's base URL: --url, else $CONFIG_LEDGER_URL, else the local stack. */
export function baseUrlFrom(args: Args, env: NodeJS.ProcessEnv): URL {
  const raw = args.string('url') ?? (env.CONFIG_LEDGER_URL || defaultBaseUrl);
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new UsageError(`'${raw}' is not a URL.`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`'${raw}' is not an http:// or https:// URL.`);
  }
  return url;
}

/**
 * How requests prove who sends them: a JWT (--token, $CONFIG_LEDGER_TOKEN), else SigV4 with the
 * default AWS credential chain for an execute-api host or with --sigv4, else nothing (local).
 */
export async function authFrom(args: Args, env: NodeJS.ProcessEnv, url: URL): Promise<Auth> {
  const explicitToken = args.string('token');
  const sigv4 = args.flag('sigv4');
  if (explicitToken !== undefined && sigv4) {
    throw new UsageError('Use --token or --sigv4, not both: an API takes JWTs or IAM signatures.');
  }
  const token = explicitToken ?? (sigv4 ? undefined : env.CONFIG_LEDGER_TOKEN || undefined);
  if (token !== undefined) return { kind: 'bearer', token };
  if (!sigv4 && !isExecuteApiHost(url.hostname)) return { kind: 'none' };
  const region =
    args.string('region') ??
    regionFromHost(url.hostname) ??
    (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) {
    throw new UsageError('SigV4 needs a region: give --region or set AWS_REGION.');
  }
  // Loaded only when signing: the local stack needs none of it.
  const { createSigV4Signer, defaultCredentials } = await import('./sigv4.ts');
  return { kind: 'sigv4', sign: createSigV4Signer(region, explained(await defaultCredentials())) };
}

/** Credentials that, when missing, say what to do about it. */
function explained(provider: CredentialsProvider): CredentialsProvider {
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw new UsageError(
        `No AWS credentials for SigV4 (${(error as Error).message}). Set up the default chain (AWS_PROFILE, aws sso login, environment variables) or use --token.`,
        { cause: error },
      );
    }
  };
}
