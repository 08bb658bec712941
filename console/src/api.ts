import { ApiError, NetworkError } from '#client/errors.ts';
import { HttpClient, type HttpClientOptions, type Method, pathOf } from '#client/http.ts';
import { noRetries } from '#client/retry.ts';
import { accessScopes } from '#http/access-scopes.ts';
import type {
  ChangesPage,
  Entry,
  EntryDiff,
  EntryList,
  Health,
  History,
  NamesDiff,
} from './api-types.ts';
import { readJson, writeJson } from './json-text.ts';
import { currentToken, refusedMessage, signOut } from './sign-in.ts';

/**
 * The service, through the same client applications and the CLI use (client/http.ts): its
 * retries with backoff on 429, 5xx and network failures, an Idempotency-Key on every write (so a
 * save retried after a lost answer is not made twice), and its typed errors. The console keeps
 * its own JSON reading, which never rounds a number. Made on first use: the page's origin exists
 * in the browser, not where tests import this module.
 */
let service: HttpClient | undefined;
function serviceClient(): HttpClient {
  service ??= new HttpClient(serviceOptions());
  return service;
}

/** Health without retries: a degraded service answers 503 with its checks, worth showing at once. */
let health: HttpClient | undefined;
function healthClient(): HttpClient {
  health ??= new HttpClient({ ...serviceOptions(), retry: noRetries });
  return health;
}

function serviceOptions(): HttpClientOptions {
  return {
    baseUrl: window.location.origin,
    auth: { kind: 'bearer', token: () => currentToken() },
  };
}

export { ApiError };

type Query = Record<string, string | number | undefined>;

async function call<T>(
  method: Method,
  path: string,
  request: { query?: Query; body?: unknown } = {},
  client: () => HttpClient = serviceClient,
): Promise<T> {
  try {
    const response = await client().send({
      method,
      path,
      // The API refuses empty parameters: a field left blank is not sent.
      query: Object.fromEntries(Object.entries(request.query ?? {}).filter(([, v]) => v !== '')),
      body: request.body === undefined ? undefined : writeJson(request.body),
    });
    return (response.text === '' ? {} : readJson(response.text)) as T;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut('refused');
    if (error instanceof NetworkError) {
      throw new Error(`The service could not be reached (${error.message})`, { cause: error });
    }
    throw error;
  }
}

export interface ListQuery {
  prefix?: string;
  limit?: number;
  nextToken?: string;
  at?: string;
}

const entryPath = (name: string, ...rest: string[]) => pathOf('config', name, ...rest);

export const api = {
  list: (q: ListQuery) => call<EntryList>('GET', '/config', { query: { ...q } }),
  get: (name: string) => call<Entry>('GET', entryPath(name), { query: { consistent: 'true' } }),
  put: (name: string, body: { value: unknown; expectedVersion?: number; comment?: string }) =>
    call<Entry>('PUT', entryPath(name), { body }),
  remove: (name: string, body: { expectedVersion?: number; comment?: string }) =>
    call<{ version: number }>('DELETE', entryPath(name), { body }),
  history: (name: string, nextToken?: string) =>
    call<History>('GET', entryPath(name, 'history'), { query: { limit: 1000, nextToken } }),
  revert: (name: string, body: { toVersion: number; comment?: string }) =>
    call<unknown>('POST', entryPath(name, 'revert'), { body }),
  diff: (name: string, from: number, to: number) =>
    call<EntryDiff>('GET', entryPath(name, 'diff'), { query: { from, to } }),
  namesDiff: (from: string, to: string, prefix?: string, nextToken?: string) =>
    call<NamesDiff>('GET', '/config/diff', { query: { from, to, prefix, nextToken } }),
  /** The change feed in revision order, from an instant or after a revision. */
  changes: (start: { since: string } | { after: number }, limit: number) =>
    call<ChangesPage>('GET', '/changes', { query: { ...start, limit } }),
  health: async (): Promise<Health> => {
    try {
      return await call<Health>('GET', '/health', {}, healthClient);
    } catch (error) {
      // 503 still carries the checks: degraded is an answer, not a failure.
      if (error instanceof ApiError && error.status === 503) return readJson(error.body) as Health;
      throw error;
    }
  },
};

/** Words for any failure, for the page. */
export function describeError(error: unknown): string {
  // API Gateway's authorizer answers these before the service does, in its own terse words.
  if (error instanceof ApiError && error.status === 401) {
    return refusedMessage;
  }
  // The service's own 403 (access by prefix) says in words what the sign-in may do.
  if (error instanceof ApiError && error.status === 403 && error.code !== 'forbidden') {
    return `You are signed in, but your sign-in does not allow this (reading needs the ${accessScopes.read} scope, changing needs ${accessScopes.write}).`;
  }
  if (error instanceof ApiError) {
    const code = error.code.startsWith('http_') ? '' : ` (${error.code})`;
    return `${error.message}${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
