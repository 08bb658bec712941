import type { Auth } from '#client/http.ts';
import type { CredentialsProvider } from '#client/sigv4.ts';
import type { Args } from './args.ts';
import { UsageError } from './errors.ts';
import { readSource } from './input.ts';
import type { Io } from './output.ts';

const executeApiHost = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** True for the default endpoint of an API Gateway API, which only takes signed requests. */
export function isExecuteApiHost(hostname: string): boolean {
  return executeApiHost.test(hostname);
}

export function regionFromHost(hostname: string): string | undefined {
  return executeApiHost.exec(hostname)?.[1];
}

/** This machine: 127.0.0.0/8, ::1 or localhost, where plain http:// crosses no network. */
export function isLoopback(hostname: string): boolean {
  return (
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname === '[::1]' ||
    /^(.+\.)?localhost\.?$/i.test(hostname)
  );
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
 * How requests prove who sends them: a JWT (--token, --token-file, $CONFIG_LEDGER_TOKEN), else
 * SigV4 with the default AWS credential chain for an execute-api host or with --sigv4, else
 * nothing (local). A credential never goes over plain http:// beyond this machine unless
 * --insecure says so.
 */
export async function authFrom(args: Args, io: Io, url: URL): Promise<Auth> {
  const auth = await credentialFor(args, io, url);
  if (auth.kind !== 'none') assertSafeTransport(args, url, auth.kind);
  return auth;
}

async function credentialFor(args: Args, io: Io, url: URL): Promise<Auth> {
  const sigv4 = args.flag('sigv4');
  const token = await tokenFrom(args, io, sigv4);
  if (token !== undefined) return { kind: 'bearer', token };
  if (!sigv4 && !isExecuteApiHost(url.hostname)) return { kind: 'none' };
  const region =
    args.string('region') ??
    regionFromHost(url.hostname) ??
    (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) {
    throw new UsageError('SigV4 needs a region: give --region or set AWS_REGION.');
  }
  // Loaded only when signing: the local stack needs none of it.
  const { createSigV4Signer, defaultCredentials } = await import('#client/sigv4.ts');
  return { kind: 'sigv4', sign: createSigV4Signer(region, explained(await defaultCredentials())) };
}

/** The bearer token: --token (with a warning), --token-file, else $CONFIG_LEDGER_TOKEN. */
async function tokenFrom(args: Args, io: Io, sigv4: boolean): Promise<string | undefined> {
  const option = args.string('token');
  const file = args.string('token-file');
  if (option !== undefined && file !== undefined) {
    throw new UsageError('Use --token or --token-file, not both.');
  }
  if ((option !== undefined || file !== undefined) && sigv4) {
    throw new UsageError('Use --token or --sigv4, not both: an API takes JWTs or IAM signatures.');
  }
  if (option !== undefined) {
    io.stderr(
      'config-ledger: warning: --token is visible to other users of this machine in the process list; use $CONFIG_LEDGER_TOKEN or --token-file instead.\n',
    );
    return option;
  }
  if (file !== undefined) return tokenInFile(file, io);
  return sigv4 ? undefined : io.env.CONFIG_LEDGER_TOKEN || undefined;
}

async function tokenInFile(file: string, io: Io): Promise<string> {
  const token = (await readSource(file, io)).trim();
  const where = file === '-' ? 'standard input' : `'${file}'`;
  if (token === '') throw new UsageError(`No token in ${where}.`);
  if (/\s/.test(token)) throw new UsageError(`The token in ${where} must be one line, one word.`);
  return token;
}

function assertSafeTransport(args: Args, url: URL, kind: Auth['kind']): void {
  if (url.protocol !== 'http:' || isLoopback(url.hostname) || args.flag('insecure')) return;
  const credential = kind === 'bearer' ? 'a bearer token' : 'a SigV4 signature';
  throw new UsageError(
    `Refusing to send ${credential} over plain http:// to ${url.host}: anyone on the way could read and reuse it. Use https://, or --insecure if you accept that.`,
  );
}

/** Credentials that, when missing, say what to do about it. */
function explained(provider: CredentialsProvider): CredentialsProvider {
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw new UsageError(
        `No AWS credentials for SigV4 (${(error as Error).message}). Set up the default chain (AWS_PROFILE, aws sso login, environment variables) or use --token-file.`,
        { cause: error },
      );
    }
  };
}
