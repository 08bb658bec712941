import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, apiClient } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // A short settle window keeps the test quick; the mechanism is the same as with the default.
  stack = await startLocalStackProcess({
    DATA_DIR: ':memory:',
    FEED_SETTLE_MS: '200',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  api = apiClient(stack.url);
});

afterAll(async () => {
  expect(await stack.stop()).toBe(0);
});

interface Change {
  name: string;
  version: number;
  type: string;
  value?: unknown;
  occurredAt: string;
  actor: string;
  comment?: string;
}

const changes = (query: string) => api.get(`/changes${query}`);

/** A cursor at the end of the feed as it is now. */
async function tailCursor(): Promise<string> {
  let response = await changes('?limit=1000');
  for (;;) {
    expect(response.status).toBe(200);
    if (response.body.changes.length === 0) return response.body.cursor;
    response = await changes(`?limit=1000&after=${encodeURIComponent(response.body.cursor)}`);
  }
}

/**
 * Follows the feed from a cursor with long polls until `count` changes under a prefix came (other
 * tests write too), and returns them with the last cursor. The deadline only guards against a hang.
 */
async function follow(cursor: string, prefix: string, count: number, limit = 1000) {
  const seen: Change[] = [];
  let after = cursor;
  const deadline = Date.now() + 20_000;
  while (seen.length < count && Date.now() < deadline) {
    const response = await changes(`?after=${encodeURIComponent(after)}&limit=${limit}&wait=5`);
    expect(response.status).toBe(200);
    seen.push(...(response.body.changes as Change[]).filter((c) => c.name.startsWith(prefix)));
    after = response.body.cursor;
  }
  return { seen, cursor: after };
}

function expectValidationError(response: ApiResponse) {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ error: 'validation_error', message: expect.any(String) });
}

/** Sequential writes a few milliseconds apart occur at distinct instants, in this order. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const byFeedOrder = (a: Change, b: Change) =>
  a.occurredAt.localeCompare(b.occurredAt) || (a.name < b.name ? -1 : 1) || a.version - b.version;

describe('E2E: GET /changes', () => {
  it('serves the writes of several names in order, with values, actors and comments', async () => {
    // Prepare
    const cursor = await tailCursor();
    await api.put('/config/feed.order.b', { value: 1 });
    await pause(2);
    await api.put('/config/feed.order.a', { value: { on: true } }, { 'x-actor': 'alice' });
    await pause(2);
    await api.put('/config/feed.order.b', { value: 2, comment: 'second' });
    await pause(2);
    await api.delete('/config/feed.order.a', { comment: 'gone' });
    await pause(2);
    await api.put('/config/feed.order.c', { value: 'c' });

    // Act
    const { seen } = await follow(cursor, 'feed.order.', 5);

    // Assess
    expect(seen.map((c) => [c.name, c.version, c.type])).toEqual([
      ['feed.order.b', 1, 'ConfigValueSet'],
      ['feed.order.a', 1, 'ConfigValueSet'],
      ['feed.order.b', 2, 'ConfigValueSet'],
      ['feed.order.a', 2, 'ConfigValueDeleted'],
      ['feed.order.c', 1, 'ConfigValueSet'],
    ]);
    expect([...seen].sort(byFeedOrder)).toEqual(seen);
    expect(seen[1]).toMatchObject({ value: { on: true }, actor: 'alice' });
    expect(seen[2]).toMatchObject({ value: 2, comment: 'second', actor: 'local' });
    expect(seen[3]).toEqual({
      name: 'feed.order.a',
      version: 2,
      type: 'ConfigValueDeleted',
      occurredAt: expect.any(String),
      actor: 'local',
      comment: 'gone',
    });
  });

  it('pages with the cursor: every event exactly once, then nothing and the same cursor', async () => {
    // Prepare
    const cursor = await tailCursor();
    for (let round = 1; round <= 4; round++) {
      for (const name of ['x', 'y', 'z'])
        await api.put(`/config/feed.pages.${name}`, { value: round });
    }

    // Act
    const { seen, cursor: last } = await follow(cursor, 'feed.pages.', 12, 5);
    await pause(400);
    const after = await changes(`?after=${encodeURIComponent(last)}&limit=5`);

    // Assess
    const keys = seen.map((c) => `${c.name}@${c.version}`);
    expect(new Set(keys).size).toBe(12);
    expect(keys.sort()).toEqual(
      ['x', 'y', 'z'].flatMap((name) => [1, 2, 3, 4].map((v) => `feed.pages.${name}@${v}`)).sort(),
    );
    const stillOurs = (after.body.changes as Change[]).filter((c) =>
      c.name.startsWith('feed.pages.'),
    );
    expect(stillOurs).toEqual([]);
  });

  it('starts from the beginning of the feed without a cursor, and never shows the heartbeat', async () => {
    // Prepare
    await api.put('/config/feed.start', { value: 'first' });
    expect((await api.get('/health')).status).toBe(200);
    await pause(400);

    // Act
    const all: Change[] = [];
    let response = await changes('?limit=1000');
    while (response.body.changes.length > 0) {
      all.push(...response.body.changes);
      response = await changes(`?limit=1000&after=${encodeURIComponent(response.body.cursor)}`);
    }

    // Assess
    expect(all.some((c) => c.name === 'feed.start')).toBe(true);
    expect(all.some((c) => c.name.startsWith('_'))).toBe(false);
    expect([...all].sort(byFeedOrder)).toEqual(all);
  });

  it('answers a long poll as soon as a write lands, before the wait is over', async () => {
    // Prepare
    const cursor = await tailCursor();
    const started = Date.now();
    const polling = changes(`?after=${encodeURIComponent(cursor)}&wait=20`);
    await pause(300);
    await api.put('/config/feed.longpoll', { value: 'now' });

    // Act
    const response = await polling;

    // Assess
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(response.body.changes.map((c: Change) => c.name)).toContain('feed.longpoll');
  });

  it('answers a long poll without changes with none, and a cursor that resumes', async () => {
    // Prepare
    const cursor = await tailCursor();

    // Act
    const quiet = await changes(`?after=${encodeURIComponent(cursor)}&wait=1`);
    await api.put('/config/feed.quiet', { value: 1 });
    const { seen } = await follow(quiet.body.cursor, 'feed.quiet', 1);

    // Assess
    expect(quiet.status).toBe(200);
    expect(quiet.body).toEqual({ changes: [], cursor });
    expect(seen.map((c) => [c.name, c.version])).toEqual([['feed.quiet', 1]]);
  });

  it('refuses a tampered cursor, a bad limit or wait, and unknown parameters with 400', async () => {
    // Prepare
    const cursor = await tailCursor();
    const [payload = '', checksum] = cursor.split('.');
    const tampered = `${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${checksum}`;

    // Act & Assess
    expectValidationError(await changes(`?after=${encodeURIComponent(tampered)}`));
    expectValidationError(await changes('?after=garbage'));
    expectValidationError(await changes('?limit=0'));
    expectValidationError(await changes('?limit=1001'));
    expectValidationError(await changes('?wait=21'));
    expectValidationError(await changes('?wait=soon'));
    expectValidationError(await changes('?cursor=x'));
  });
});
