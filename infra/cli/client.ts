import * as z from 'zod';
import { ApiError, NetworkError } from './errors.ts';
import { parseRetryAfter, withRetries } from './retry.ts';
import type { RequestSigner } from './sigv4.ts';

export type Auth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'sigv4'; readonly sign: RequestSigner };

type QueryValue = string | number | boolean | undefined;

export interface ApiRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Percent-encoded path below the base URL; see `pathOf`. */
  readonly path: string;
  /** Parameters left undefined are not sent (the API refuses unknown and empty ones). */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON text. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body exactly as received: values keep their exact numbers. */
  readonly text: string;
}

const defaultTimeoutMs = 30_000;

const errorBodySchema = z.object({ error: z.string(), message: z.string() });

/**
 * The config-ledger HTTP API: one request at a time, errors turned into CliErrors, sent again
 * when the API asks for it (see retry.ts). Commands only call `send`, so another HTTP client can
 * take this one's place.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: URL,
    private readonly auth: Auth,
  ) {}

  send(request: ApiRequest): Promise<ApiResponse> {
    return withRetries(() => this.sendOnce(request));
  }

  private async sendOnce(request: ApiRequest): Promise<ApiResponse> {
    const url = this.urlFor(request.path, request.query);
    const headers = await this.headersFor(request, url);
    const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw networkError(error, url, timeoutMs);
    }
    if (!response.ok) throw apiError(response, text);
    return { status: response.status, headers: response.headers, text };
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
        return { ...headers, authorization: `Bearer ${this.auth.token}` };
      case 'sigv4':
        return this.auth.sign({ method: request.method, url, headers, body: request.body });
      default: {
        const unknown: never = this.auth;
        throw new TypeError(`Unknown auth ${JSON.stringify(unknown)}`);
      }
    }
  }
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

function apiError(response: Response, text: string): ApiError {
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    return new ApiError(status, parsed.data.error, parsed.data.message, text, retryAfterMs);
  }
  const excerpt = text.trim().slice(0, 200);
  return new ApiError(
    status,
    `http_${status}`,
    `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
    text,
    retryAfterMs,
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
