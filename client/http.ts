import { apiErrorFor, NetworkError } from './errors.ts';
import {
  parseRetryAfter,
  type RetryPolicy,
  type Sleep,
  sleep,
  transientFailures,
  withRetries,
} from './retry.ts';
import type { RequestSigner } from './sigv4.ts';

/** How requests prove who sends them. */
export type Auth =
  | { readonly kind: 'none' }
  /** A token, or where to get the current one (a browser session's, renewed as it goes). */
  | { readonly kind: 'bearer'; readonly token: string | (() => string | undefined) }
  | { readonly kind: 'sigv4'; readonly sign: RequestSigner };

type QueryValue = string | number | boolean | undefined;

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface ApiRequest {
  readonly method: Method;
  /** Percent-encoded path below the base URL; see `pathOf`. */
  readonly path: string;
  /** Parameters left undefined are not sent (the API refuses unknown and empty ones). */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON text. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  /** Ends the request early (a reader being closed): it then fails with a NetworkError. */
  readonly signal?: AbortSignal;
}

export interface ApiResponse {
  /** 2xx, or 304 for a conditional read whose ETag still matches (then `text` is empty). */
  readonly status: number;
  readonly headers: Headers;
  /** The body exactly as received: values keep their exact numbers. */
  readonly text: string;
  /** The revision the answer shows or the write made (`Config-Revision`), when it says. */
  readonly revision: number | undefined;
}

export interface HttpClientOptions {
  readonly baseUrl: URL | string;
  /** Default: none (the local stack). */
  readonly auth?: Auth;
  /** Default: `transientFailures()`. */
  readonly retry?: RetryPolicy;
  /** Default: 30 s per attempt. */
  readonly timeoutMs?: number;
  /** Default: the global fetch; tests pass a fake. */
  readonly fetch?: typeof fetch;
  /** Default: setTimeout; tests pass one that records the waits. */
  readonly sleep?: Sleep;
}

const defaultTimeoutMs = 30_000;

/**
 * The config-ledger HTTP API, one request at a time: signed or with a bearer token, errors
 * turned into typed ones (errors.ts), sent again as the retry policy says. Every write carries an
 * Idempotency-Key, made here when the caller gave none, the same on each of its retries: a retry
 * of a write that did land is answered with the first answer and changes nothing.
 */
export class HttpClient {
  readonly baseUrl: URL;
  private readonly auth: Auth;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: Sleep;

  constructor(options: HttpClientOptions) {
    this.baseUrl = new URL(options.baseUrl);
    this.auth = options.auth ?? { kind: 'none' };
    this.retry = options.retry ?? transientFailures();
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? sleep;
  }

  send(request: ApiRequest): Promise<ApiResponse> {
    const withKey = withIdempotencyKey(request);
    return withRetries(() => this.sendOnce(withKey), this.retry, this.sleep);
  }

  private async sendOnce(request: ApiRequest): Promise<ApiResponse> {
    const url = this.urlFor(request.path, request.query);
    const headers = await this.headersFor(request, url);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const deadline = abortAfter(timeoutMs, request.signal);
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method: request.method,
        headers,
        body: request.body,
        signal: deadline.signal,
      });
      text = await response.text();
    } catch (error) {
      throw networkError(error, url, timeoutMs);
    } finally {
      deadline.release();
    }
    if (!response.ok && response.status !== 304) {
      throw apiErrorFor(
        response.status,
        text,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      revision: revisionOf(response.headers),
    };
  }

  urlFor(path: string, query: ApiRequest['query'] = {}): URL {
    const url = new URL(this.baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.search = Object.entries(query)
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([key, value]) => `${encodeStrict(key)}=${encodeStrict(String(value))}`)
      .join('&');
    return url;
  }

  private async headersFor(request: ApiRequest, url: URL): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    switch (this.auth.kind) {
      case 'none':
        return headers;
      case 'bearer':
        return withBearer(headers, this.auth.token);
      case 'sigv4':
        return this.auth.sign({ method: request.method, url, headers, body: request.body });
      default: {
        const unknown: never = this.auth;
        throw new TypeError(`Unknown auth ${JSON.stringify(unknown)}`);
      }
    }
  }
}

/** A write keeps the caller's Idempotency-Key, or gets one of its own, for all its attempts. */
function withIdempotencyKey(request: ApiRequest): ApiRequest {
  if (request.method === 'GET') return request;
  const given = Object.entries(request.headers ?? {}).find(
    ([name, value]) => name.toLowerCase() === 'idempotency-key' && value !== undefined,
  );
  if (given) return request;
  // The Web Crypto global, not node:crypto: the same code runs in the web console.
  const key = globalThis.crypto.randomUUID();
  return { ...request, headers: { ...request.headers, 'idempotency-key': key } };
}

function withBearer(
  headers: Record<string, string>,
  token: string | (() => string | undefined),
): Record<string, string> {
  const current = typeof token === 'function' ? token() : token;
  return current === undefined ? headers : { ...headers, authorization: `Bearer ${current}` };
}

/**
 * A signal that aborts after `ms` or with the caller's, released when the request is done: a
 * reader that long-polls for hours would otherwise pile listeners onto its own signal.
 */
function abortAfter(ms: number, caller: AbortSignal | undefined) {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The request timed out.', 'TimeoutError')),
    ms,
  );
  const onCallerAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  if (caller?.aborted) onCallerAbort();
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function revisionOf(headers: Headers): number | undefined {
  const header = headers.get('config-revision');
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** A path from segments, each percent-encoded (config names, timestamps with `+`). */
export function pathOf(...segments: readonly string[]): string {
  return segments.map((segment) => `/${encodeSegment(segment)}`).join('');
}

function encodeSegment(segment: string): string {
  // A segment of dots only would be removed by URL normalization, not sent.
  if (/^\.+$/.test(segment)) return segment.replaceAll('.', '%2E');
  // ':' may stay as is in a path (RFC 3986 pchar): names like svc:billing:db travel as typed.
  return encodeStrict(segment).replaceAll('%3A', ':');
}

/** RFC 3986 encoding: everything but unreserved characters, as SigV4 canonicalizes. */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function networkError(error: unknown, url: URL, timeoutMs: number): NetworkError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new NetworkError(`No answer from ${url.origin} within ${timeoutMs / 1000} s.`, {
      cause: error,
    });
  }
  return new NetworkError(`Cannot reach ${url.origin}: ${reasonOf(error)}.`, { cause: error });
}

function reasonOf(error: unknown): string {
  let detail = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (detail instanceof AggregateError && detail.errors.length > 0) detail = detail.errors[0];
  const code = (detail as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return detail instanceof Error ? detail.message : String(detail);
}
