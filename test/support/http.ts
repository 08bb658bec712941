import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on, field by field.
  readonly body: any;
}

export interface ApiRequest {
  readonly json?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/** A small client for the HTTP API under test; the base URL may be known only later. */
export function apiClient(baseUrl: string | (() => string)) {
  const base = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  const call = async (
    method: string,
    path: string,
    request: ApiRequest = {},
  ): Promise<ApiResponse> => {
    const body =
      request.rawBody ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: jsonOrUndefined(text),
    };
  };
  return {
    call,
    get: (path: string, request?: ApiRequest) => call('GET', path, request),
    put: (path: string, json: unknown, headers?: Record<string, string>) =>
      call('PUT', path, { json, headers }),
    delete: (path: string, json?: unknown, headers?: Record<string, string>) =>
      call('DELETE', path, { json, headers }),
  };
}

/**
 * Reads an entry from the projection until it shows at least `version`. The projection follows
 * the events stream within milliseconds; the generous deadline only guards against a hang.
 */
export async function readProjected(
  api: ReturnType<typeof apiClient>,
  name: string,
  version: number,
  deadlineMs = 5_000,
): Promise<ApiResponse & { delayMs: number }> {
  const started = performance.now();
  for (;;) {
    const response = await api.get(`/config/${name}`);
    const delayMs = performance.now() - started;
    if ((response.body?.version ?? 0) >= version || delayMs > deadlineMs) {
      return { ...response, delayMs };
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export interface RawRequest {
  readonly method: string;
  /** Sent exactly as given: no normalization of dot segments or encodings. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** A request sent byte for byte, for inputs a well-behaved client would refuse to send. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<ApiResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        // One connection per request: a refused upload must not poison the next request.
        agent: false,
        headers: {
          ...(request.body === undefined
            ? {}
            : { 'content-length': Buffer.byteLength(request.body) }),
          ...request.headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = toHeaders(incoming.headers);
          resolve({ status: incoming.statusCode ?? 0, headers, text, body: jsonOrUndefined(text) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Waits until the change feed serves `count` changes of names under `prefix`. */
export async function feedServes(
  api: ReturnType<typeof apiClient>,
  prefix: string,
  count: number,
  deadlineMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const feed = await api.get('/changes?limit=1000');
    const served = (feed.body.changes as { name: string }[]).filter((change) =>
      change.name.startsWith(prefix),
    ).length;
    if (served >= count) return;
    if (Date.now() > deadline) throw new Error(`The feed serves ${served} of ${count} changes.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
