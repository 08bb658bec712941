import { beforeAll, describe, expect, it } from 'vitest';
import { type ChangesStart, type Clock, readChanges } from '#app/changes.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { type FeedPosition, type FeedStore, feedPosition } from '#store/feed-store.ts';
import { createTestTables, freshFeed } from '#test/stores.ts';

/** A change at an exact instant, so that "since" can fall between, on or after changes. */
function change(occurredAt: string, name: string, version: number, deleted = false): ConfigEvent {
  const base = { name, version, occurredAt, actor: 'ops' };
  return deleted
    ? { ...base, type: 'ConfigValueDeleted' }
    : { ...base, type: 'ConfigValueSet', value: toJsonText({ version }) };
}

// In the feed's order: by instant, then name (digits and capitals before lower case), then version.
const history = [
  change('2026-02-12T10:00:00.000Z', 'alpha', 1),
  change('2026-02-12T10:00:01.000Z', '0.first', 1),
  change('2026-02-12T10:00:01.000Z', 'Zed', 1),
  change('2026-02-12T10:00:01.000Z', 'alpha', 2),
  change('2026-02-12T10:00:01.000Z', 'beta', 1),
  change('2026-02-12T10:00:01.001Z', 'gamma', 1),
  change('2026-02-12T10:00:05.000Z', 'alpha', 3, true),
  change('2026-02-12T10:00:09.999Z', 'beta', 2),
];

/** A clock that stays at one instant: the settle window then serves a known part of the feed. */
const clockAt = (instant: string): Clock => ({
  now: () => Date.parse(instant),
  sleep: async () => undefined,
});
const later = { settleMs: 1000, clock: clockAt('2026-02-12T11:00:00.000Z') };
const key = (event: ConfigEvent) => `${event.name}@${event.version}`;
const since = (instant: string) => history.filter((event) => event.occurredAt >= instant);

let feed: FeedStore;

beforeAll(async () => {
  await createTestTables();
  feed = await freshFeed();
  await feed.recordAll([...history].reverse());
});

/** Follows the feed from a start page by page, as a client that continues with `after` would. */
async function readAll(start: ChangesStart, limit: number, options = later) {
  const read: ConfigEvent[] = [];
  let query: ChangesStart = start;
  for (let pages = 0; pages < 100; pages++) {
    const page = await readChanges({ feed }, { ...query, limit, waitMs: 0 }, options);
    if (page.changes.length === 0) return { read, resumeAfter: page.resumeAfter };
    read.push(...page.changes);
    query = { after: page.resumeAfter };
  }
  throw new Error('The feed did not end.');
}

describe('Integration: the change feed since an instant, on a real engine', () => {
  it('starts at the first change after an instant that falls between two changes', async () => {
    // Act
    const { read } = await readAll({ since: '2026-02-12T10:00:00.500Z' }, 1000);

    // Assess
    expect(read.map(key)).toEqual(since('2026-02-12T10:00:01.000Z').map(key));
    expect(read[0]).toEqual(history[1]);
  });

  it('takes in every change at exactly the instant, whatever its name, and none before', async () => {
    // Act
    const page = await readChanges(
      { feed },
      { since: '2026-02-12T10:00:01.000Z', limit: 4, waitMs: 0 },
      later,
    );

    // Assess
    expect(page.changes.map(key)).toEqual(['0.first@1', 'Zed@1', 'alpha@2', 'beta@1']);
    expect(page.resumeAfter).toBe(feedPosition(history[4] as ConfigEvent));
  });

  it('reads the whole feed from an instant before its first change', async () => {
    // Act
    const { read } = await readAll({ since: '0000-01-01T00:00:00.000Z' }, 1000);

    // Assess
    expect(read).toEqual(history);
  });

  it.each([1, 2, 3])(
    'continues after the cursor of each page of %i, every change exactly once, in order',
    async (limit) => {
      // Act
      const { read, resumeAfter } = await readAll({ since: '2026-02-12T10:00:01.000Z' }, limit);

      // Assess
      expect(read.map(key)).toEqual(since('2026-02-12T10:00:01.000Z').map(key));
      expect(resumeAfter).toBe(feedPosition(history.at(-1) as ConfigEvent));
    },
  );

  it('serves only what the settle window allows, and the cursor resumes at the instant', async () => {
    // Prepare: at 10:00:10.500 with a 1 s window, the change at 10:00:09.999 is not served yet.
    const early = { settleMs: 1000, clock: clockAt('2026-02-12T10:00:10.500Z') };

    // Act
    const settled = await readChanges(
      { feed },
      { since: '2026-02-12T10:00:05.000Z', limit: 10, waitMs: 0 },
      early,
    );
    const unsettled = await readChanges(
      { feed },
      { since: '2026-02-12T10:00:09.999Z', limit: 10, waitMs: 0 },
      early,
    );
    const resumed = await readChanges(
      { feed },
      { after: unsettled.resumeAfter, limit: 10, waitMs: 0 },
      later,
    );

    // Assess
    expect(settled.changes.map(key)).toEqual(['alpha@3']);
    expect(unsettled.changes).toEqual([]);
    expect(resumed.changes.map(key)).toEqual(['beta@2']);
  });

  it('answers an instant after every change with none, and a cursor that gets what comes next', async () => {
    // Prepare
    const ownFeed = await freshFeed();
    await ownFeed.recordAll(history);
    const instant = '2026-02-12T10:30:00.000Z';

    // Act
    const empty = await readChanges(
      { feed: ownFeed },
      { since: instant, limit: 10, waitMs: 0 },
      later,
    );
    await ownFeed.recordAll([
      change('2026-02-12T10:29:59.999Z', 'beta', 3),
      change(instant, 'beta', 4),
    ]);
    const next = await readChanges(
      { feed: ownFeed },
      { after: empty.resumeAfter, limit: 10, waitMs: 0 },
      later,
    );

    // Assess
    expect(empty.changes).toEqual([]);
    expect(empty.resumeAfter).toBeDefined();
    expect(next.changes.map(key)).toEqual(['beta@4']);
  });

  it('answers an instant in the future with none, and a cursor that resumes from it', async () => {
    // Act
    const page = await readChanges(
      { feed },
      { since: '2999-01-01T00:00:00.000Z', limit: 10, waitMs: 0 },
      later,
    );
    const resumed = await readChanges(
      { feed },
      { after: page.resumeAfter as FeedPosition, limit: 10, waitMs: 0 },
      later,
    );

    // Assess
    expect(page.changes).toEqual([]);
    expect(page.resumeAfter).toBeDefined();
    expect(resumed.changes).toEqual([]);
  });

  it('reads a position range from a floor to a ceiling in one query', async () => {
    // Act
    const entries = await feed.readFrom(
      '2026-02-12T10:00:01.000Z',
      '2026-02-12T10:00:01.001Z#~',
      1000,
    );
    const reversed = await feed.readFrom(
      '2026-02-12T10:00:02.000Z',
      '2026-02-12T10:00:01.000Z#~',
      10,
    );

    // Assess
    expect(entries.map((entry) => entry.position)).toEqual(
      history.slice(1, 6).map((event) => feedPosition(event)),
    );
    expect(reversed).toEqual([]);
  });
});
