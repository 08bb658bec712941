import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '#domain/limits.ts';
import { type ApiResponse, apiClient, readProjected } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  const dataDir = await scratchDir('e2e');
  stack = await startLocalStackProcess({ DATA_DIR: dataDir });
  api = apiClient(stack.url);
});

afterAll(async () => {
  expect(await stack.stop()).toBe(0);
});

/** Waits until the projection has caught up with every write so far (via the health heartbeat). */
async function stackIdle() {
  expect((await api.get('/health')).status).toBe(200);
}

function expectJsonError(response: ApiResponse, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  expect(response.body).toMatchObject({ error, message: expect.any(String) });
  expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe('E2E: PUT and GET /config/{name}', () => {
  it('creates with 201, then reads the value back at once, without any restart', async () => {
    const created = await api.put('/config/e2e.create', { value: { timeoutMs: 250 } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('x-request-id')).toBeTruthy();
    const revision = Number(created.headers.get('config-revision'));
    expect(created.body).toEqual({
      name: 'e2e.create',
      value: { timeoutMs: 250 },
      version: 1,
      revision,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedBy: 'local',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const read = await readProjected(api, 'e2e.create', 1);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(Number(read.headers.get('config-revision'))).toBeGreaterThanOrEqual(revision);
    expect(read.body).toEqual(created.body);
  });

  it('shows every write in the projection within milliseconds, 50 times in a row', async () => {
    for (let round = 1; round <= 50; round++) {
      const written = await api.put('/config/e2e.read-after-write', { value: round });
      expect(written.status).toBe(round === 1 ? 201 : 200);
      const read = await readProjected(api, 'e2e.read-after-write', round);
      expect(read.body).toMatchObject({ value: round, version: round });
    }
  });

  it('reads its own write at once with ?consistent=true', async () => {
    for (let round = 1; round <= 20; round++) {
      await api.put('/config/e2e.read-your-writes', { value: round });
      const read = await api.get('/config/e2e.read-your-writes?consistent=true');
      expect(read.body).toMatchObject({ value: round, version: round });
    }
  });

  it('returns values exactly as written: big and float numbers, unicode, empties, deep nesting', async () => {
    const deep = `${'{"x":['.repeat(60)}"bottom"${']}'.repeat(60)}`;
    const raw = `{"value":{"big":123456789012345678901234567890,"float":0.1,"one":1.0,"exp":1e400,"neg":-0,"text":"héllo 😀 \\u0000","empty":"","obj":{},"arr":[],"null":null,"deep":${deep}}}`;
    const written = await api.call('PUT', '/config/e2e.exact', { rawBody: raw });
    expect(written.status).toBe(201);
    const expected = raw.slice('{"value":'.length, -1);
    const reads = [
      await api.get('/config/e2e.exact?consistent=true'),
      await readProjected(api, 'e2e.exact', 1),
      await api.get('/config/e2e.exact/history'),
    ];
    for (const response of [written, ...reads]) {
      const valueText = response.text.slice(response.text.indexOf('"value":') + 8);
      expect(valueText.startsWith(expected)).toBe(true);
    }
  });

  it('records the caller from X-Actor and the comment in the history', async () => {
    await api.put(
      '/config/e2e.actor',
      { value: true, comment: 'turn it on' },
      { 'x-actor': 'alice@example.com' },
    );
    const history = await api.get('/config/e2e.actor/history');
    expect(history.body.events[0]).toMatchObject({
      actor: 'alice@example.com',
      comment: 'turn it on',
    });
  });

  it('serves ?consistent=true from the log with the same answer', async () => {
    await api.put('/config/e2e.consistent', { value: 'x' });
    const consistent = await api.get('/config/e2e.consistent?consistent=true');
    expect(consistent.body).toEqual((await readProjected(api, 'e2e.consistent', 1)).body);
  });

  it('answers 404 for a name never set', async () => {
    expectJsonError(await api.get('/config/e2e.never'), 404, 'not_found');
  });
});

describe('E2E: optimistic concurrency', () => {
  it('answers 409 version_conflict with currentVersion for a stale expectedVersion', async () => {
    await api.put('/config/e2e.guarded', { value: 1 });
    await api.put('/config/e2e.guarded', { value: 2, expectedVersion: 1 });
    const stale = await api.put('/config/e2e.guarded', { value: 3, expectedVersion: 1 });
    expectJsonError(stale, 409, 'version_conflict');
    expect(stale.body.currentVersion).toBe(2);
    expect((await readProjected(api, 'e2e.guarded', 2)).body.value).toBe(2);
  });

  it('treats expectedVersion 0 as create-only', async () => {
    expect(
      (await api.put('/config/e2e.create-only', { value: 1, expectedVersion: 0 })).status,
    ).toBe(201);
    expectJsonError(
      await api.put('/config/e2e.create-only', { value: 2, expectedVersion: 0 }),
      409,
      'version_conflict',
    );
  });

  it('honours If-Match with the ETag, and answers 412 when it no longer matches', async () => {
    const first = await api.put('/config/e2e.if-match', { value: 'a' });
    const etag = first.headers.get('etag') ?? '';
    expect(
      (await api.put('/config/e2e.if-match', { value: 'b' }, { 'if-match': etag })).status,
    ).toBe(200);
    const stale = await api.put('/config/e2e.if-match', { value: 'c' }, { 'if-match': etag });
    expectJsonError(stale, 412, 'precondition_failed');
    expect(stale.body.currentVersion).toBe(2);
    expectJsonError(
      await api.put('/config/e2e.if-match', { value: 'c' }, { 'if-match': 'two' }),
      400,
      'validation_error',
    );
  });

  it('gives 20 concurrent blind writers versions 1..20, all answered 2xx', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, writer) =>
        api.put('/config/e2e.contended', { value: writer }),
      ),
    );
    expect(responses.every((response) => response.status === 200 || response.status === 201)).toBe(
      true,
    );
    expect(responses.map((response) => response.body.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    const history = await api.get('/config/e2e.contended/history');
    expect(history.body.events.map((event: { version: number }) => event.version)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
  });
});

describe('E2E: DELETE /config/{name}', () => {
  it('deletes, hides the entry, keeps the history, and 404s a second delete', async () => {
    await api.put('/config/e2e.delete', { value: 1 });
    const deleted = await api.delete('/config/e2e.delete', { comment: 'retired' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      name: 'e2e.delete',
      version: 2,
      revision: Number(deleted.headers.get('config-revision')),
      deleted: true,
    });
    expectJsonError(await api.get('/config/e2e.delete?consistent=true'), 404, 'not_found');
    expectJsonError(await api.delete('/config/e2e.delete'), 404, 'not_found');
    const history = await api.get('/config/e2e.delete/history');
    expect(history.body.events.map((event: { type: string }) => event.type)).toEqual([
      'ConfigValueSet',
      'ConfigValueDeleted',
    ]);
    expect(history.body.events[1]).not.toHaveProperty('value');
  });

  it('re-creates a deleted entry with 201 and the next version', async () => {
    const recreated = await api.put('/config/e2e.delete', { value: 'back' });
    expect(recreated.status).toBe(201);
    expect(recreated.body.version).toBe(3);
  });

  it('applies expectedVersion and If-Match to deletes', async () => {
    await api.put('/config/e2e.delete-guarded', { value: 1 });
    expectJsonError(
      await api.delete('/config/e2e.delete-guarded', { expectedVersion: 5 }),
      409,
      'version_conflict',
    );
    expectJsonError(
      await api.delete('/config/e2e.delete-guarded', undefined, { 'if-match': '"7"' }),
      412,
      'precondition_failed',
    );
    expect(
      (await api.delete('/config/e2e.delete-guarded', undefined, { 'if-match': '"1"' })).status,
    ).toBe(200);
  });
});

describe('E2E: GET /config (list)', () => {
  beforeAll(async () => {
    for (const name of ['list.b', 'list.a', 'list.c', 'list.d', 'other.x']) {
      await api.put(`/config/${name}`, { value: name });
    }
    await api.delete('/config/list.c');
    await stackIdle();
  });

  it('lists live entries under a prefix in name order, hiding deleted ones', async () => {
    const page = await api.get('/config?prefix=list.');
    expect(page.body.items.map((item: { name: string }) => item.name)).toEqual([
      'list.a',
      'list.b',
      'list.d',
    ]);
    expect(page.body).not.toHaveProperty('nextToken');
  });

  it('pages with limit and nextToken until the last page, which has no token', async () => {
    const first = await api.get('/config?prefix=list.&limit=2');
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual([
      'list.a',
      'list.b',
    ]);
    const second = await api.get(
      `/config?prefix=list.&limit=2&nextToken=${encodeURIComponent(first.body.nextToken)}`,
    );
    expect(second.body.items.map((item: { name: string }) => item.name)).toEqual(['list.d']);
    expect(second.body).not.toHaveProperty('nextToken');
  });

  it('answers 400 for a tampered token, a token from another query, and limits out of range', async () => {
    const first = await api.get('/config?prefix=list.&limit=1');
    expectJsonError(
      await api.get(`/config?prefix=list.&nextToken=${first.body.nextToken}x!`),
      400,
      'validation_error',
    );
    expectJsonError(
      await api.get('/config?nextToken=eyJub3QiOiJ0aGlzIn0'),
      400,
      'validation_error',
    );
    const edited = first.body.nextToken.replace(/^./, (c: string) => (c === 'e' ? 'f' : 'e'));
    expectJsonError(
      await api.get(`/config?prefix=list.&nextToken=${edited}`),
      400,
      'validation_error',
    );
    expectJsonError(
      await api.get(`/config?prefix=other.&nextToken=${first.body.nextToken}`),
      400,
      'validation_error',
    );
    for (const limit of ['0', '-1', '1001', 'abc', '1.5', '99999999999']) {
      expectJsonError(await api.get(`/config?limit=${limit}`), 400, 'validation_error');
    }
  });
});

describe('E2E: GET /config/{name}/history', () => {
  it('lists events oldest first, in pages', async () => {
    for (let round = 1; round <= 5; round++) await api.put('/config/e2e.history', { value: round });
    const first = await api.get('/config/e2e.history/history?limit=3');
    expect(first.body.name).toBe('e2e.history');
    expect(first.body.events.map((event: { version: number }) => event.version)).toEqual([1, 2, 3]);
    expect(first.body.events[0]).toEqual({
      version: 1,
      revision: expect.any(Number),
      type: 'ConfigValueSet',
      value: 1,
      occurredAt: expect.any(String),
      actor: 'local',
      previousHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const rest = await api.get(
      `/config/e2e.history/history?limit=3&nextToken=${first.body.nextToken}`,
    );
    expect(rest.body.events.map((event: { version: number }) => event.version)).toEqual([4, 5]);
    expect(rest.body).not.toHaveProperty('nextToken');
  });

  it('answers 404 for a name that never existed, 400 for a token of another name', async () => {
    expectJsonError(await api.get('/config/e2e.nothing/history'), 404, 'not_found');
    const page = await api.get('/config/e2e.history/history?limit=1');
    expectJsonError(
      await api.get(`/config/e2e.create/history?nextToken=${page.body.nextToken}`),
      400,
      'validation_error',
    );
  });
});

describe('E2E: GET /config/{name}/at/{timestamp}', () => {
  it('returns the entry as it was at each real instant of its history', async () => {
    const v1 = (await api.put('/config/e2e.travel', { value: 'one' })).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const v2 = (await api.put('/config/e2e.travel', { value: 'two' })).body;
    await api.delete('/config/e2e.travel');

    const before = new Date(Date.parse(v1.updatedAt) - 1).toISOString();
    expectJsonError(await api.get(`/config/e2e.travel/at/${before}`), 404, 'not_found');
    expect((await api.get(`/config/e2e.travel/at/${v1.updatedAt}`)).body).toMatchObject({
      value: 'one',
      version: 1,
    });
    const justBeforeV2 = new Date(Date.parse(v2.updatedAt) - 1).toISOString();
    expect((await api.get(`/config/e2e.travel/at/${justBeforeV2}`)).body).toMatchObject({
      version: 1,
    });
    expect((await api.get(`/config/e2e.travel/at/${v2.updatedAt}`)).body).toMatchObject({
      value: 'two',
      version: 2,
    });
    expectJsonError(
      await api.get(`/config/e2e.travel/at/${new Date().toISOString()}`),
      404,
      'not_found',
    );
  });

  it('accepts other zones and percent-encoding, and answers 400 for a malformed timestamp', async () => {
    const v1 = (await api.put('/config/e2e.zones', { value: 1 })).body;
    const later = new Date(Date.parse(v1.updatedAt) + 3_600_000);
    // The same instant in +01:00: its wall clock is an hour ahead, the next day after 23:00 UTC.
    const wallClockInParis = new Date(later.getTime() + 3_600_000).toISOString().slice(0, 23);
    const inParis = `${wallClockInParis}+01:00`;
    expect((await api.get(`/config/e2e.zones/at/${encodeURIComponent(inParis)}`)).status).toBe(200);
    for (const bad of ['yesterday', '2026-02-30T10:00:00Z', '2026-02-12T10:00:00', '%E0%A4%A']) {
      expectJsonError(await api.get(`/config/e2e.zones/at/${bad}`), 400, 'validation_error');
    }
  });
});

describe('E2E: GET /health', () => {
  it('is healthy with both tables, the revisions and the projection lag', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'healthy',
      revision: expect.any(Number),
      projectedRevision: expect.any(Number),
      checks: {
        log: { status: 'ok', latencyMs: expect.any(Number) },
        projection: { status: 'ok', latencyMs: expect.any(Number) },
        projectionLag: { status: 'ok', lagMs: expect.any(Number), thresholdMs: 1000 },
      },
    });
  });

  it('only reads: 20 concurrent checks change nothing and all answer healthy', async () => {
    const before = (await api.get('/changes?limit=1000&after=0')).body.revision;
    const checks = await Promise.all(Array.from({ length: 20 }, () => api.get('/health')));
    expect(checks.map((check) => check.status)).toEqual(checks.map(() => 200));
    expect((await api.get('/changes?limit=1000&after=0')).body.revision).toBe(before);
  });
});

describe('E2E: bad requests get a JSON error and change nothing', () => {
  it.each([
    ['an unknown route', 'GET', '/nothing/here', undefined, undefined, 404, 'route_not_found'],
    ['a name with a slash', 'GET', '/config/a/b', undefined, undefined, 404, 'route_not_found'],
    ['a wrong method', 'POST', '/config/e2e.x', '{}', undefined, 405, 'method_not_allowed'],
    [
      'a non-JSON content type',
      'PUT',
      '/config/e2e.x',
      'value=1',
      'application/x-www-form-urlencoded',
      415,
      'unsupported_media_type',
    ],
    ['broken JSON', 'PUT', '/config/e2e.x', '{"value": ', 'application/json', 400, 'invalid_json'],
    ['a missing body', 'PUT', '/config/e2e.x', undefined, undefined, 400, 'validation_error'],
    [
      'a body without value',
      'PUT',
      '/config/e2e.x',
      '{"valeu": 1}',
      'application/json',
      400,
      'validation_error',
    ],
    [
      'a wrong expectedVersion type',
      'PUT',
      '/config/e2e.x',
      '{"value":1,"expectedVersion":"1"}',
      'application/json',
      400,
      'validation_error',
    ],
    [
      'an invalid name',
      'PUT',
      '/config/bad%20name',
      '{"value":1}',
      'application/json',
      400,
      'validation_error',
    ],
    [
      'a path traversal',
      'GET',
      '/config/..%2F..%2Fetc',
      undefined,
      undefined,
      400,
      'validation_error',
    ],
    [
      'an over-long name',
      'PUT',
      `/config/${'n'.repeat(257)}`,
      '{"value":1}',
      'application/json',
      400,
      'validation_error',
    ],
    [
      'an unknown query parameter',
      'GET',
      '/config/e2e.x?consistant=true',
      undefined,
      undefined,
      400,
      'validation_error',
    ],
    [
      'an over-deep value',
      'PUT',
      '/config/e2e.x',
      `{"value":${'['.repeat(1001)}${']'.repeat(1001)}}`,
      'application/json',
      400,
      'invalid_json',
    ],
  ])('%s', async (_, method, path, rawBody, contentType, status, error) => {
    const response = await api.call(method, path, {
      rawBody,
      headers: contentType ? { 'content-type': contentType } : {},
    });
    expectJsonError(response, status, error);
    expect(response.headers.get('allow') ?? '').toBe(status === 405 ? 'PUT, DELETE, GET' : '');
    expectJsonError(await api.get('/config/e2e.x/history'), 404, 'not_found');
  });

  it('refuses a value over 256 KiB with 413 and stores nothing', async () => {
    const response = await api.put('/config/e2e.big', { value: 'x'.repeat(limits.valueMaxBytes) });
    expectJsonError(response, 413, 'value_too_large');
    expectJsonError(await api.get('/config/e2e.big/history'), 404, 'not_found');
  });

  it('stores a value of exactly 256 KiB', async () => {
    const response = await api.put('/config/e2e.big-ok', {
      value: 'x'.repeat(limits.valueMaxBytes - 2),
    });
    expect(response.status).toBe(201);
  });
});
