import fc from 'fast-check';
import { type RawRequest, rawRequest } from './http.ts';

export interface FuzzReport {
  readonly seed: number;
  readonly tried: number;
  /** Requests the HTTP client itself refused to send (e.g. a space in the path). */
  readonly unsendable: number;
  readonly byStatus: Record<number, number>;
  readonly serverErrors: { request: RawRequest; status: number; body: string }[];
  readonly durationMs: number;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly concurrency: number;
}

const validName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,30}$/);
const anyName = fc.oneof(
  { arbitrary: validName, weight: 6 },
  { arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '_health.heartbeat',
      '%',
      '%zz',
      'a%00b',
      'x'.repeat(300),
    ),
    weight: 1,
  },
);
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-02-12T10:00:00', '9999-12-31T23:59:59.999Z'),
);
const path = fc.oneof(
  { arbitrary: anyName.map((name) => `/config/${name}`), weight: 6 },
  fc
    .tuple(anyName, fc.constantFrom('/history', '/at', '/at/', '/x', '/history/x'))
    .map(([name, suffix]) => `/config/${name}${suffix}`),
  fc.tuple(anyName, timestamp).map(([name, at]) => `/config/${name}/at/${at}`),
  fc.constantFrom('/config', '/config/', '/health', '/', '//config', '/CONFIG/x', '/config//x'),
  fc.string({ maxLength: 30 }).map((text) => `/${encodeURIComponent(text)}`),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer().map(String),
  fc.constantFrom('true', 'false', '0', '1000', '1001', '-1', '1e3', 'eyJzY29wZSI6IngifQ.AAAA'),
);
const randomQuery = fc
  .dictionary(fc.constantFrom('limit', 'prefix', 'nextToken', 'consistent', 'x', ''), queryValue, {
    maxKeys: 3,
  })
  .map((entries) => new URLSearchParams(entries).toString());
const query = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  { arbitrary: randomQuery, weight: 2 },
);
const body = fc.oneof(
  { arbitrary: fc.jsonValue().map((value) => JSON.stringify({ value })), weight: 8 },
  fc
    .record(
      {
        value: fc.jsonValue(),
        expectedVersion: fc.jsonValue(),
        comment: fc.jsonValue(),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((record) => JSON.stringify(record)),
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .integer({ min: 1, max: 3000 })
    .map((depth) => `{"value":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.constantFrom('', '{', '{"value":1e999999}', '{"value":-0}', '{"value":1,"value":2}', 'null'),
);
const oddHeaders = fc.record(
  {
    'content-type': fc.constantFrom(
      'text/plain',
      'application/merge-patch+json',
      '',
      'x/y; charset=z',
    ),
    'if-match': fc.oneof(fc.constantFrom('"1"', '*', 'W/"2"', '"0"'), fc.string({ maxLength: 10 })),
    'if-none-match': fc.constantFrom('*', '"1"'),
    'x-actor': fc.string({ maxLength: 20 }),
    'idempotency-key': fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);
const headers = fc.oneof(
  { arbitrary: fc.constant({ 'content-type': 'application/json' }), weight: 4 },
  { arbitrary: oddHeaders, weight: 1 },
);

/** Random requests: valid, nearly valid, and garbage, weighted towards the interesting. */
export const requestArbitrary: fc.Arbitrary<RawRequest> = fc
  .record({
    method: fc.oneof(
      { arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE'), weight: 6 },
      { arbitrary: fc.constantFrom('POST', 'PATCH', 'HEAD', 'OPTIONS'), weight: 1 },
    ),
    path,
    query,
    body: fc.option(body, { nil: undefined, freq: 6 }),
    headers,
  })
  .map((parts) => ({
    method: parts.method,
    path: parts.query ? `${parts.path}?${parts.query}` : parts.path,
    body: parts.method === 'GET' || parts.method === 'HEAD' ? undefined : parts.body,
    headers: parts.headers,
  }));

/**
 * Sends random requests to a running local stack, bounded by count and time, and reports
 * every 5xx with the request that caused it.
 */
export async function fuzz(baseUrl: string, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  const requests = fc.sample(requestArbitrary, {
    numRuns: options.maxRequests,
    seed: options.seed,
  });
  const byStatus: Record<number, number> = {};
  const serverErrors: FuzzReport['serverErrors'] = [];
  let tried = 0;
  let unsendable = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests.length && performance.now() < deadline) {
      const request = requests[next++] as RawRequest;
      const response = await rawRequest(baseUrl, request).catch(() => undefined);
      if (!response) {
        unsendable++;
        continue;
      }
      tried++;
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500)
        serverErrors.push({ request, status: response.status, body: response.text });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    seed: options.seed,
    tried,
    unsendable,
    byStatus,
    serverErrors,
    durationMs: Math.round(performance.now() - started),
  };
}
