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

/** A small client for the HTTP API under test. */
export function apiClient(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    request: ApiRequest = {},
  ): Promise<ApiResponse> => {
    const body =
      request.rawBody ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
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
