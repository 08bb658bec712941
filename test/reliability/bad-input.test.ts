import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '#domain/limits.ts';
import { apiClient, rawRequest } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

interface BadRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly error: string;
}

const json = { 'content-type': 'application/json' };
const put = (
  body: string | Buffer,
  headers: Record<string, string> = json,
): Omit<BadRequest, 'status' | 'error'> => ({
  method: 'PUT',
  path: '/config/victim',
  body,
  headers,
});
/** `{"value":"…"}` around bytes that are not UTF-8. */
const valueBytes = (...bytes: number[]) =>
  Buffer.concat([Buffer.from('{"value":"'), Buffer.from(bytes), Buffer.from('"}')]);
const nested = (depth: number) => `{"value":${'['.repeat(depth)}${']'.repeat(depth)}}`;

/** label → request and the answer it must get. Every one must leave the data untouched. */
/**
 * A page token made by hand: its checksum is right (anyone can compute it), what it holds is
 * not from the service. It must be refused like any other bad input, never reach DynamoDB.
 */
function minted(payload: Record<string, unknown>): string {
  const text = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${text}.${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`;
}

const badRequests: Record<string, BadRequest> = {
  // Broken and odd JSON
  'truncated JSON': { ...put('{"value":'), status: 400, error: 'invalid_json' },
  'a trailing comma': { ...put('{"value":1,}'), status: 400, error: 'invalid_json' },
  'single quotes': { ...put("{'value':1}"), status: 400, error: 'invalid_json' },
  'a NaN literal': { ...put('{"value":NaN}'), status: 400, error: 'invalid_json' },
  'an Infinity literal': { ...put('{"value":Infinity}'), status: 400, error: 'invalid_json' },
  'duplicate keys': { ...put('{"value":1,"value":2}'), status: 400, error: 'invalid_json' },
  'a byte order mark': { ...put('\uFEFF{"value":1}'), status: 400, error: 'invalid_json' },
  'two documents': { ...put('{"value":1}{"value":2}'), status: 400, error: 'invalid_json' },
  'a comment inside': { ...put('{"value":1 /* hi */}'), status: 400, error: 'invalid_json' },
  'an unterminated string': { ...put('{"value":"abc}'), status: 400, error: 'invalid_json' },
  'a raw newline in a string': { ...put('{"value":"a\nb"}'), status: 400, error: 'invalid_json' },
  'a bad escape': { ...put('{"value":"\\x41"}'), status: 400, error: 'invalid_json' },
  'nesting one level too deep': {
    ...put(nested(limits.valueMaxDepth + 1)),
    status: 400,
    error: 'invalid_json',
  },
  'nesting 100,000 levels deep': { ...put(nested(100_000)), status: 400, error: 'invalid_json' },
  // Wrong shapes and types
  'an array body': { ...put('[1]'), status: 400, error: 'validation_error' },
  'a string body': { ...put('"value"'), status: 400, error: 'validation_error' },
  'a number body': { ...put('42'), status: 400, error: 'validation_error' },
  'a null body': { ...put('null'), status: 400, error: 'validation_error' },
  'an empty object': { ...put('{}'), status: 400, error: 'validation_error' },
  'a missing body': {
    method: 'PUT',
    path: '/config/victim',
    status: 400,
    error: 'validation_error',
  },
  'a whitespace body': { ...put('   '), status: 400, error: 'validation_error' },
  'a misspelt field': { ...put('{"valeu":1}'), status: 400, error: 'validation_error' },
  'an unknown extra field': {
    ...put('{"value":1,"ttl":5}'),
    status: 400,
    error: 'validation_error',
  },
  'expectedVersion as a string': {
    ...put('{"value":1,"expectedVersion":"1"}'),
    status: 400,
    error: 'validation_error',
  },
  'a negative expectedVersion': {
    ...put('{"value":1,"expectedVersion":-1}'),
    status: 400,
    error: 'validation_error',
  },
  'a fractional expectedVersion': {
    ...put('{"value":1,"expectedVersion":1.5}'),
    status: 400,
    error: 'validation_error',
  },
  'a huge expectedVersion': {
    ...put('{"value":1,"expectedVersion":1e300}'),
    status: 400,
    error: 'validation_error',
  },
  'a null expectedVersion': {
    ...put('{"value":1,"expectedVersion":null}'),
    status: 400,
    error: 'validation_error',
  },
  'a numeric comment': {
    ...put('{"value":1,"comment":5}'),
    status: 400,
    error: 'validation_error',
  },
  'an over-long comment': {
    ...put(JSON.stringify({ value: 1, comment: 'c'.repeat(limits.commentMaxLength + 1) })),
    status: 400,
    error: 'validation_error',
  },
  // Sizes
  'a value 1 byte over 256 KiB': {
    ...put(JSON.stringify({ value: 'x'.repeat(limits.valueMaxBytes - 1) })),
    status: 413,
    error: 'value_too_large',
  },
  'a body over its limit': {
    ...put(JSON.stringify({ value: 'x'.repeat(limits.requestBodyMaxBytes) })),
    status: 413,
    error: 'payload_too_large',
  },
  'a body over the gateway limit (10 MiB)': {
    ...put(JSON.stringify({ value: 'x'.repeat(11 * 1024 * 1024) })),
    status: 413,
    error: 'payload_too_large',
  },
  // Content types
  'text/plain': {
    ...put('{"value":1}', { 'content-type': 'text/plain' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  'a form': {
    ...put('value=1', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  multipart: {
    ...put('--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  XML: {
    ...put('<value>1</value>', { 'content-type': 'application/xml' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  // Encodings: JSON is UTF-8, and nothing else is stored with replacement characters
  'Latin-1 bytes': {
    ...put(valueBytes(0x63, 0x61, 0x66, 0xe9)),
    status: 400,
    error: 'invalid_json',
  },
  'Latin-1 bytes, declared': {
    ...put(valueBytes(0x63, 0x61, 0x66, 0xe9), {
      'content-type': 'application/json; charset=iso-8859-1',
    }),
    status: 415,
    error: 'unsupported_media_type',
  },
  'UTF-8 declared as UTF-16': {
    ...put('{"value":1}', { 'content-type': 'application/json; charset=utf-16' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  'an overlong encoding': { ...put(valueBytes(0xc0, 0xaf)), status: 400, error: 'invalid_json' },
  'an overlong NUL': { ...put(valueBytes(0xe0, 0x80, 0x80)), status: 400, error: 'invalid_json' },
  'a surrogate code point': {
    ...put(valueBytes(0xed, 0xa0, 0x80)),
    status: 400,
    error: 'invalid_json',
  },
  'a sequence cut short': { ...put(valueBytes(0xe2, 0x82)), status: 400, error: 'invalid_json' },
  'Latin-1 bytes with no Content-Type': {
    ...put(valueBytes(0xe9), {}),
    status: 400,
    error: 'invalid_json',
  },
  // Names
  'a name with a space': {
    ...put('{"value":1}'),
    path: '/config/bad%20name',
    status: 400,
    error: 'validation_error',
  },
  'a name with a Cyrillic look-alike': {
    ...put('{"value":1}'),
    path: '/config/p%D0%B0yments',
    status: 400,
    error: 'validation_error',
  },
  'a name with an emoji': {
    ...put('{"value":1}'),
    path: '/config/%F0%9F%98%80',
    status: 400,
    error: 'validation_error',
  },
  'a name starting with a dot': {
    ...put('{"value":1}'),
    path: '/config/.env',
    status: 400,
    error: 'validation_error',
  },
  'a name starting with a dash': {
    ...put('{"value":1}'),
    path: '/config/-rf',
    status: 400,
    error: 'validation_error',
  },
  'the reserved heartbeat name': {
    ...put('{"value":1}'),
    path: '/config/_health.heartbeat',
    status: 400,
    error: 'validation_error',
  },
  'a name of 257 characters': {
    ...put('{"value":1}'),
    path: `/config/${'n'.repeat(257)}`,
    status: 400,
    error: 'validation_error',
  },
  'an encoded slash': {
    ...put('{"value":1}'),
    path: '/config/a%2Fb',
    status: 400,
    error: 'validation_error',
  },
  'path traversal, encoded': {
    ...put('{"value":1}'),
    path: '/config/..%2F..%2Fetc%2Fpasswd',
    status: 400,
    error: 'validation_error',
  },
  'path traversal, raw dot segment': {
    method: 'GET',
    path: '/config/..',
    status: 400,
    error: 'validation_error',
  },
  'path traversal, raw segments': {
    method: 'GET',
    path: '/config/../../etc/passwd',
    status: 404,
    error: 'route_not_found',
  },
  'a NUL in the name': {
    ...put('{"value":1}'),
    path: '/config/a%00b',
    status: 400,
    error: 'validation_error',
  },
  'a newline in the name': {
    ...put('{"value":1}'),
    path: '/config/a%0Ab',
    status: 400,
    error: 'validation_error',
  },
  'broken percent-encoding': {
    ...put('{"value":1}'),
    path: '/config/a%E0%A4%A',
    status: 400,
    error: 'validation_error',
  },
  'a wildcard name': {
    ...put('{"value":1}'),
    path: '/config/*',
    status: 400,
    error: 'validation_error',
  },
  'an encoded question mark': {
    ...put('{"value":1}'),
    path: '/config/a%3Fb',
    status: 400,
    error: 'validation_error',
  },
  'an empty name': {
    ...put('{"value":1}'),
    path: '/config/',
    status: 404,
    error: 'route_not_found',
  },
  // Preconditions and identity
  'If-Match that is not a version': {
    ...put('{"value":1}', { ...json, 'if-match': 'latest' }),
    status: 400,
    error: 'validation_error',
  },
  'If-Match: *': {
    ...put('{"value":1}', { ...json, 'if-match': '*' }),
    status: 400,
    error: 'validation_error',
  },
  'If-Match with two versions': {
    ...put('{"value":1}', { ...json, 'if-match': '"1", "2"' }),
    status: 400,
    error: 'validation_error',
  },
  'If-None-Match with a version': {
    ...put('{"value":1}', { ...json, 'if-none-match': '"3"' }),
    status: 400,
    error: 'validation_error',
  },
  'If-Match and If-None-Match together': {
    ...put('{"value":1}', { ...json, 'if-match': '"1"', 'if-none-match': '*' }),
    status: 400,
    error: 'validation_error',
  },
  'If-Match disagreeing with expectedVersion': {
    ...put('{"value":1,"expectedVersion":2}', { ...json, 'if-match': '"1"' }),
    status: 400,
    error: 'validation_error',
  },
  'an over-long X-Actor': {
    ...put('{"value":1}', { ...json, 'x-actor': 'a'.repeat(513) }),
    status: 400,
    error: 'validation_error',
  },
  'a tab in X-Actor': {
    ...put('{"value":1}', { ...json, 'x-actor': 'a\tb' }),
    status: 400,
    error: 'validation_error',
  },
  // Query strings
  'limit 0': { method: 'GET', path: '/config?limit=0', status: 400, error: 'validation_error' },
  'a negative limit': {
    method: 'GET',
    path: '/config?limit=-5',
    status: 400,
    error: 'validation_error',
  },
  'limit 1001': {
    method: 'GET',
    path: '/config?limit=1001',
    status: 400,
    error: 'validation_error',
  },
  'a huge limit': {
    method: 'GET',
    path: '/config?limit=99999999999999999999',
    status: 400,
    error: 'validation_error',
  },
  'a word for a limit': {
    method: 'GET',
    path: '/config?limit=ten',
    status: 400,
    error: 'validation_error',
  },
  'a fractional limit': {
    method: 'GET',
    path: '/config?limit=1.5',
    status: 400,
    error: 'validation_error',
  },
  'two limits': {
    method: 'GET',
    path: '/config?limit=1&limit=2',
    status: 400,
    error: 'validation_error',
  },
  'a random nextToken': {
    method: 'GET',
    path: '/config?nextToken=AAAA',
    status: 400,
    error: 'validation_error',
  },
  'a forged base64 nextToken': {
    method: 'GET',
    path: '/config?nextToken=eyJzY29wZSI6Imxpc3Q6IiwiYWZ0ZXIiOiJ6In0.AAAAAAAAAAAAAAAA',
    status: 400,
    error: 'validation_error',
  },
  'a minted nextToken after a name outside the prefix': {
    method: 'GET',
    path: `/config?prefix=bad.&nextToken=${minted({ scope: 'list:bad.:newest', revision: 1, after: 'zzz' })}`,
    status: 400,
    error: 'validation_error',
  },
  'a minted nextToken after something that is no name': {
    method: 'GET',
    path: `/config?nextToken=${minted({ scope: 'list::newest', revision: 1, after: '../etc' })}`,
    status: 400,
    error: 'validation_error',
  },
  'a minted nextToken of a time travel after a name outside the prefix': {
    method: 'GET',
    path: `/config?prefix=bad.&at=2026-01-01T00:00:00Z&nextToken=${minted({ scope: 'list:bad.:@2026-01-01T00:00:00.000Z', revision: 0, after: 'a' })}`,
    status: 400,
    error: 'validation_error',
  },
  'a minted nextToken of a names diff outside the prefix': {
    method: 'GET',
    path: `/config/diff?prefix=bad.&from=0&to=1&nextToken=${minted({ scope: 'diff:bad.:0..1', revision: 1, after: 'a' })}`,
    status: 400,
    error: 'validation_error',
  },
  'a minted history nextToken after a revision beyond its own': {
    method: 'GET',
    path: `/config/bad.history/history?nextToken=${minted({ scope: 'history:bad.history', revision: 1, after: 5 })}`,
    status: 400,
    error: 'validation_error',
  },
  'a huge nextToken': {
    method: 'GET',
    path: `/config?nextToken=${'A'.repeat(5000)}`,
    status: 400,
    error: 'validation_error',
  },
  'a prefix with a slash': {
    method: 'GET',
    path: '/config?prefix=a/b',
    status: 400,
    error: 'validation_error',
  },
  'an over-long prefix': {
    method: 'GET',
    path: `/config?prefix=${'p'.repeat(257)}`,
    status: 400,
    error: 'validation_error',
  },
  'an unknown list parameter': {
    method: 'GET',
    path: '/config?sort=desc',
    status: 400,
    error: 'validation_error',
  },
  'consistent=yes': {
    method: 'GET',
    path: '/config/victim?consistent=yes',
    status: 400,
    error: 'validation_error',
  },
  'a query string on a write': {
    ...put('{"value":1}'),
    path: '/config/victim?force=true',
    status: 400,
    error: 'validation_error',
  },
  'a history limit of 0': {
    method: 'GET',
    path: '/config/victim/history?limit=0',
    status: 400,
    error: 'validation_error',
  },
  // Timestamps
  'a timestamp in words': {
    method: 'GET',
    path: '/config/victim/at/yesterday',
    status: 400,
    error: 'validation_error',
  },
  'February 30': {
    method: 'GET',
    path: '/config/victim/at/2026-02-30T00:00:00Z',
    status: 400,
    error: 'validation_error',
  },
  'a timestamp without a zone': {
    method: 'GET',
    path: '/config/victim/at/2026-02-12T10:00:00',
    status: 400,
    error: 'validation_error',
  },
  'epoch milliseconds': {
    method: 'GET',
    path: '/config/victim/at/1770890400000',
    status: 400,
    error: 'validation_error',
  },
  'month 13': {
    method: 'GET',
    path: '/config/victim/at/2026-13-01T00:00:00Z',
    status: 400,
    error: 'validation_error',
  },
  'a five-digit year': {
    method: 'GET',
    path: '/config/victim/at/20260-01-01T00:00:00Z',
    status: 400,
    error: 'validation_error',
  },
  'an hour 25 offset': {
    method: 'GET',
    path: '/config/victim/at/2026-01-01T00:00:00+25:00',
    status: 400,
    error: 'validation_error',
  },
  // Methods and routes
  'POST on an entry': {
    ...put('{"value":1}'),
    method: 'POST',
    status: 405,
    error: 'method_not_allowed',
  },
  'PATCH on an entry': {
    ...put('{"value":1}'),
    method: 'PATCH',
    status: 405,
    error: 'method_not_allowed',
  },
  'DELETE on the collection': {
    method: 'DELETE',
    path: '/config',
    status: 405,
    error: 'method_not_allowed',
  },
  'PUT on the collection': {
    ...put('{"value":1}'),
    path: '/config',
    status: 405,
    error: 'method_not_allowed',
  },
  'POST on health': { method: 'POST', path: '/health', status: 405, error: 'method_not_allowed' },
  'PUT on a history': {
    ...put('{"value":1}'),
    path: '/config/victim/history',
    status: 405,
    error: 'method_not_allowed',
  },
  'an unknown route': { method: 'GET', path: '/admin', status: 404, error: 'route_not_found' },
  'a double slash': {
    method: 'GET',
    path: '//config/victim',
    status: 404,
    error: 'route_not_found',
  },
  // Deletes
  'a delete with broken JSON': {
    method: 'DELETE',
    path: '/config/victim',
    body: '{',
    headers: json,
    status: 400,
    error: 'invalid_json',
  },
  'a delete with a value': {
    method: 'DELETE',
    path: '/config/victim',
    body: '{"value":1}',
    headers: json,
    status: 400,
    error: 'validation_error',
  },
  'a stale delete': {
    method: 'DELETE',
    path: '/config/victim',
    body: '{"expectedVersion":1}',
    headers: json,
    status: 409,
    error: 'version_conflict',
  },
  'a delete of an absent name': {
    method: 'DELETE',
    path: '/config/absent',
    status: 404,
    error: 'not_found',
  },
};

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

/** Everything a bad request could have changed. */
async function snapshot() {
  const [victim, all, absent] = await Promise.all([
    api.get('/config/victim/history'),
    api.get('/config?limit=1000'),
    api.get('/config/absent/history'),
  ]);
  return { victim: victim.body, all: all.body, absent: absent.status };
}

beforeAll(async () => {
  stack = await startLocalStackProcess({
    DATA_DIR: await scratchDir('bad-input'),
  });
  api = apiClient(stack.url);
  await api.put('/config/victim', { value: { untouched: true } });
  await api.put('/config/victim', { value: { untouched: 'still' } });
  expect((await api.get('/health')).status).toBe(200);
});

afterAll(async () => {
  await stack.stop();
});

describe('Reliability: bad input', () => {
  it(`covers at least 60 malformed requests (${Object.keys(badRequests).length})`, () => {
    expect(Object.keys(badRequests).length).toBeGreaterThanOrEqual(60);
  });

  it.each(Object.entries(badRequests))('%s → a JSON error, and nothing changes', async (_, bad) => {
    const before = await snapshot();
    const response = await rawRequest(stack.url, bad);

    expect({ status: response.status, error: response.body?.error }).toEqual({
      status: bad.status,
      error: bad.error,
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.body.message).toEqual(expect.any(String));
    expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('Reliability: text encodings that are fine', () => {
  it.each(['application/json', 'application/json; charset=UTF-8', 'application/vnd.config+json'])(
    'stores UTF-8 sent as %s exactly as sent',
    async (contentType) => {
      const value = 'café ✓ 𝄞 \uFFFD';
      const name = `encoding.${contentType.length}`;
      const response = await rawRequest(stack.url, {
        method: 'PUT',
        path: `/config/${name}`,
        headers: { 'content-type': contentType },
        body: Buffer.from(JSON.stringify({ value })),
      });

      expect(response.status).toBe(201);
      expect((await api.get(`/config/${name}?consistent=true`)).body.value).toBe(value);
    },
  );
});
