import { accessScopes } from '#http/access-scopes.ts';
import type {
  ApiErrorBody,
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

/** An answer other than 2xx, with the API's own words for it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: Partial<ApiErrorBody>,
  ) {
    super(body.message ?? `The service answered ${status}.`);
  }
}

function headersFor(body: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: headersFor(body),
      body: body === undefined ? undefined : writeJson(body),
    });
  } catch (error) {
    throw new Error(`The service could not be reached (${(error as Error).message}).`);
  }
  const text = await response.text();
  const parsed: unknown = text === '' ? {} : readJson(text);
  if (response.status === 401) signOut('refused');
  if (!response.ok) throw new ApiError(response.status, parsed as Partial<ApiErrorBody>);
  return parsed as T;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface ListQuery {
  prefix?: string;
  limit?: number;
  nextToken?: string;
  at?: string;
}

export const api = {
  list: (q: ListQuery) => call<EntryList>('GET', `/config${query({ ...q })}`),
  get: (name: string) => call<Entry>('GET', `/config/${enc(name)}?consistent=true`),
  put: (name: string, body: { value: unknown; expectedVersion?: number; comment?: string }) =>
    call<Entry>('PUT', `/config/${enc(name)}`, body),
  remove: (name: string, body: { expectedVersion?: number; comment?: string }) =>
    call<{ version: number }>('DELETE', `/config/${enc(name)}`, body),
  history: (name: string, nextToken?: string) =>
    call<History>('GET', `/config/${enc(name)}/history${query({ limit: 1000, nextToken })}`),
  revert: (name: string, body: { toVersion: number; comment?: string }) =>
    call<unknown>('POST', `/config/${enc(name)}/revert`, body),
  diff: (name: string, from: number, to: number) =>
    call<EntryDiff>('GET', `/config/${enc(name)}/diff${query({ from, to })}`),
  namesDiff: (from: string, to: string, prefix?: string, nextToken?: string) =>
    call<NamesDiff>('GET', `/config/diff${query({ from, to, prefix, nextToken })}`),
  /** The change feed in revision order, from an instant or after a revision. */
  changes: (start: { since: string } | { after: number }, limit: number) =>
    call<ChangesPage>('GET', `/changes${query({ ...start, limit })}`),
  health: async (): Promise<Health> => {
    try {
      return await call<Health>('GET', '/health');
    } catch (error) {
      // 503 still carries the checks: degraded is an answer, not a failure.
      if (error instanceof ApiError && error.status === 503) return error.body as unknown as Health;
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
  if (error instanceof ApiError && error.status === 403 && error.body.error !== 'forbidden') {
    return `You are signed in, but your sign-in does not allow this (reading needs the ${accessScopes.read} scope, changing needs ${accessScopes.write}).`;
  }
  if (error instanceof ApiError) {
    const code = error.body.error ? ` (${error.body.error})` : '';
    return `${error.message}${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
