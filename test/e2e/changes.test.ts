import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, apiClient } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStackProcess({ DATA_DIR: ':memory:', POWERTOOLS_LOG_LEVEL: 'WARN' });
  api = apiClient(stack.url);
});

afterAll(async () => {
  expect(await stack.stop()).toBe(0);
});

interface Change {
  name: string;
  version: number;
  revision: number;
  type: string;
  value?: unknown;
  occurredAt: string;
  actor: string;
  comment?: string;
  previousHash?: string;
  hash?: string;
}

const changes = (query: string) => api.get(`/changes${query}`);

/** The revision the feed stands at now: where a follower that starts now resumes after. */
async function newestRevision(): Promise<number> {
  const response = await changes('?since=9999-01-01T00:00:00Z');
  expect(response.status).toBe(200);
  return response.body.revision;
}

/**
 * Follows the feed after a revision with long polls until `count` changes under a prefix came
 * (other tests write too), and returns them with the last revision. The deadline only guards
 * against a hang.
 */
function follow(after: number, prefix: string, count: number, limit = 1000) {
  return followFrom(`after=${after}`, prefix, count, limit);
}

/** The same from any start (`since=…`), going on with the revision of each answer as `after`. */
async function followFrom(start: string, prefix: string, count: number, limit = 1000) {
  const seen: Change[] = [];
  const all: Change[] = [];
  let from = start;
  let revision = 0;
  const deadline = Date.now() + 20_000;
  while (seen.length < count && Date.now() < deadline) {
    const response = await changes(`?${from}&limit=${limit}&wait=5`);
    expect(response.status).toBe(200);
    all.push(...response.body.changes);
    seen.push(...(response.body.changes as Change[]).filter((c) => c.name.startsWith(prefix)));
    revision = response.body.revision;
    from = `after=${revision}`;
  }
  return { seen, all, revision };
}

function expectValidationError(response: ApiResponse) {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ error: 'validation_error', message: expect.any(String) });
}

/** Sequential writes a few milliseconds apart occur at distinct instants, in this order. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Revisions rise by one from change to change (other tests' writes fall between): no gap. */
function expectDense(all: Change[]) {
  const revisions = [...new Set(all.map((c) => c.revision))];
  expect(revisions).toEqual(revisions.map((_, index) => (revisions[0] ?? 0) + index));
}

describe('E2E: GET /changes', () => {
  it('serves the writes of several names in order, with values, actors and comments', async () => {
    // Prepare
    const start = await newestRevision();
    await api.put('/config/feed.order.b', { value: 1 });
    await api.put('/config/feed.order.a', { value: { on: true } }, { 'x-actor': 'alice' });
    await api.put('/config/feed.order.b', { value: 2, comment: 'second' });
    const deleted = await api.delete('/config/feed.order.a', { comment: 'gone' });
    await api.put('/config/feed.order.c', { value: 'c' });

    // Act
    const { seen, all } = await follow(start, 'feed.order.', 5);

    // Assess
    expect(seen.map((c) => [c.name, c.version, c.type])).toEqual([
      ['feed.order.b', 1, 'ConfigValueSet'],
      ['feed.order.a', 1, 'ConfigValueSet'],
      ['feed.order.b', 2, 'ConfigValueSet'],
      ['feed.order.a', 2, 'ConfigValueDeleted'],
      ['feed.order.c', 1, 'ConfigValueSet'],
    ]);
    expectDense(all);
    expect(seen[1]).toMatchObject({ value: { on: true }, actor: 'alice' });
    expect(seen[2]).toMatchObject({ value: 2, comment: 'second', actor: 'local' });
    expect(seen[3]).toEqual({
      name: 'feed.order.a',
      version: 2,
      revision: deleted.body.revision,
      type: 'ConfigValueDeleted',
      occurredAt: expect.any(String),
      actor: 'local',
      comment: 'gone',
      // Chained to the name's version 1 (see docs/verify.md).
      previousHash: seen[1]?.hash,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('pages by revision: every change exactly once, then nothing and the same revision', async () => {
    // Prepare
    const start = await newestRevision();
    for (let round = 1; round <= 4; round++) {
      for (const name of ['x', 'y', 'z'])
        await api.put(`/config/feed.pages.${name}`, { value: round });
    }

    // Act
    const { seen, revision: last } = await follow(start, 'feed.pages.', 12, 5);
    const after = await changes(`?after=${last}&limit=5`);

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

  it('starts from revision 1 without after, and has no gap from there to the newest', async () => {
    // Prepare
    await api.put('/config/feed.start', { value: 'first' });

    // Act
    const all: Change[] = [];
    let response = await changes('?limit=1000');
    while (response.body.changes.length > 0) {
      all.push(...response.body.changes);
      response = await changes(`?limit=1000&after=${response.body.revision}`);
    }

    // Assess
    expect(all[0]?.revision).toBe(1);
    expect(all.some((c) => c.name === 'feed.start')).toBe(true);
    expectDense(all);
    expect(response.body).toEqual({ changes: [], revision: all.at(-1)?.revision, more: false });
  });

  it('answers a long poll as soon as a write lands, before the wait is over', async () => {
    // Prepare
    const start = await newestRevision();
    const started = Date.now();
    const polling = changes(`?after=${start}&wait=20`);
    await pause(300);
    await api.put('/config/feed.longpoll', { value: 'now' });

    // Act
    const response = await polling;

    // Assess
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(response.body.changes.map((c: Change) => c.name)).toContain('feed.longpoll');
  });

  it('answers a long poll without changes with none, and the revision to resume after', async () => {
    // Prepare
    const start = await newestRevision();

    // Act
    const quiet = await changes(`?after=${start}&wait=1`);
    await api.put('/config/feed.quiet', { value: 1 });
    const { seen } = await follow(quiet.body.revision, 'feed.quiet', 1);

    // Assess
    expect(quiet.status).toBe(200);
    expect(quiet.body).toEqual({ changes: [], revision: start, more: false });
    expect(seen.map((c) => [c.name, c.version])).toEqual([['feed.quiet', 1]]);
  });

  it('answers 404 to a follower ahead of the log, saying where the log stands', async () => {
    // Prepare
    const newest = await newestRevision();

    // Act
    const ahead = await changes(`?after=${newest + 1000}&wait=1`);

    // Assess
    expect(ahead.status).toBe(404);
    expect(ahead.body).toMatchObject({ error: 'revision_not_found' });
    expect(ahead.body.details.newestRevision).toBeGreaterThanOrEqual(newest);
  });

  it('refuses a cursor that is no revision, a bad limit or wait, and unknown parameters with 400', async () => {
    // Act & Assess
    expectValidationError(await changes('?after=eyJzY29wZSI6ImNoYW5nZXMifQ.abc'));
    expectValidationError(await changes('?after=-1'));
    expectValidationError(await changes('?after=garbage'));
    expectValidationError(await changes('?limit=0'));
    expectValidationError(await changes('?limit=1001'));
    expectValidationError(await changes('?wait=21'));
    expectValidationError(await changes('?wait=soon'));
    expectValidationError(await changes('?cursor=x'));
  });
});

/** Writes and returns the instant the API stamped the write with. */
async function write(name: string, value: unknown): Promise<string> {
  const response = await api.put(`/config/${name}`, { value });
  expect(response.status).toBeLessThan(300);
  return response.body.updatedAt;
}

const since = (instant: string) => `since=${encodeURIComponent(instant)}`;

describe('E2E: GET /changes?since=', () => {
  it('starts at the first change after an instant that falls between two changes', async () => {
    // Prepare: 10 ms apart, so that an instant lies strictly between them.
    const first = await write('since.between.a', 1);
    await pause(10);
    const second = await write('since.between.b', 2);
    const between = new Date((Date.parse(first) + Date.parse(second)) / 2).toISOString();

    // Act
    const { seen, all } = await followFrom(since(between), 'since.between.', 1);

    // Assess
    expect(first < between && between < second).toBe(true);
    expect(seen.map((c) => c.name)).toEqual(['since.between.b']);
    expect(all.every((c) => c.occurredAt >= between)).toBe(true);
  });

  it('includes the change at exactly the instant asked for', async () => {
    // Prepare
    await write('since.exact.before', 0);
    await pause(10);
    const at = await write('since.exact.at', 1);

    // Act
    const { seen, all } = await followFrom(since(at), 'since.exact.', 1);

    // Assess
    expect(seen.map((c) => [c.name, c.occurredAt])).toEqual([['since.exact.at', at]]);
    expect(all[0]?.occurredAt).toBe(at);
  });

  it('continues with the revision as after: every change from the instant once, in order', async () => {
    // Prepare
    const start = await write('since.pages.a', 1);
    for (const name of ['b', 'c', 'a', 'b']) await write(`since.pages.${name}`, name);

    // Act
    const { seen, all, revision } = await followFrom(since(start), 'since.pages.', 5, 1);
    const after = await changes(`?after=${revision}&limit=1000`);

    // Assess
    expect(seen.map((c) => `${c.name}@${c.version}`)).toEqual([
      'since.pages.a@1',
      'since.pages.b@1',
      'since.pages.c@1',
      'since.pages.a@2',
      'since.pages.b@2',
    ]);
    expectDense(all);
    expect(after.status).toBe(200);
    expect(after.body.changes.some((c: Change) => c.name.startsWith('since.pages.'))).toBe(false);
  });

  it('answers a since in the future with no changes, and the newest revision to resume after', async () => {
    // Act
    const future = await changes(`?${since('2999-01-01T00:00:00Z')}`);
    const resumed = await changes(`?after=${future.body.revision}`);

    // Assess
    expect(future.status).toBe(200);
    expect(future.body).toEqual({ changes: [], revision: expect.any(Number), more: false });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({ changes: [], revision: future.body.revision, more: false });
  });

  it('answers a long poll from an instant as soon as a change at or after it lands', async () => {
    // Prepare: an instant after every change so far, by this machine's clock, as the stack's.
    const instant = new Date().toISOString();
    const polling = changes(`?${since(instant)}&wait=20`);
    await pause(300);
    await write('since.longpoll', 'now');

    // Act
    const response = await polling;

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.changes.map((c: Change) => c.name)).toContain('since.longpoll');
  });

  it('refuses since with after, and a since that is no instant, with 400', async () => {
    // Act
    const both = await changes(`?${since('2026-02-12T10:00:00Z')}&after=3`);

    // Assess
    expectValidationError(both);
    expect(both.body.message).toMatch(/after .* or since .*, not both/);
    for (const bad of ['2026-02-12T10:00:00', 'yesterday', '2026-02-30T00:00:00Z', '']) {
      expectValidationError(await changes(`?${since(bad)}`));
    }
    expectValidationError(await changes(`?${since('9999-12-31T23:00:00-14:00')}`));
  });
});
