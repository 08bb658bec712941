import { beforeAll, describe, expect, it } from 'vitest';
import { readChanges } from '#app/changes.ts';
import { deleteValue, setValue } from '#app/commands.ts';
import { heartbeatName } from '#domain/config-name.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { type FeedPosition, feedPosition, positionCeiling } from '#store/feed-store.ts';
import {
  allEvents,
  createTestTables,
  streamRecordsOf,
  testFeed,
  testStores,
} from '#test/stores.ts';
import { deliverToProjector, shuffled } from '#test/stream-delivery.ts';

const stores = testStores();
const feed = testFeed();
const names = ['alpha', 'beta.one', 'beta.two', 'gamma:x', 'delta'];
let events: ConfigEvent[] = [];
/** The configuration events (not the heartbeat) in the feed's order. */
let expected: ConfigEvent[] = [];

beforeAll(async () => {
  await createTestTables();
  for (let round = 0; round < 5; round++) {
    for (const [index, name] of names.entries()) {
      if ((round + index) % 4 === 3) {
        await deleteValue(stores.events, { name, actor: 'ops' }).catch(() => undefined);
      } else {
        await setValue(stores.events, { name, value: toJsonText({ round }), actor: 'ops' });
      }
    }
    await setValue(stores.events, {
      name: heartbeatName,
      value: toJsonText(null),
      actor: 'health-check',
    });
  }
  events = await allEvents(stores);
  expected = events
    .filter((event) => event.name !== heartbeatName)
    .sort((a, b) => (feedPosition(a) < feedPosition(b) ? -1 : 1));
  // Redelivered and out of order, as a stream with retries and bisected batches can deliver them.
  const records = streamRecordsOf(events);
  await deliverToProjector(
    shuffled([...records, ...records.filter((_, index) => index % 2 === 0)], 7),
    4,
  );
  await deliverToProjector(records, 100);
});

/** Follows the feed page by page, as a client with a cursor would. */
async function readAll(limit: number, settleMs = 0): Promise<ConfigEvent[]> {
  const read: ConfigEvent[] = [];
  let after: FeedPosition | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await readChanges({ feed }, { after, limit, waitMs: 0 }, { settleMs });
    if (page.changes.length === 0) return read;
    read.push(...page.changes);
    after = page.resumeAfter;
  }
  throw new Error('The feed did not end.');
}

describe('Integration: change feed on a real engine', () => {
  it('holds exactly one item per configuration event, whatever the delivery', async () => {
    // Act
    const read = await readAll(1000);

    // Assess
    expect(read).toHaveLength(expected.length);
    expect(read).toEqual(expected);
  });

  it.each([1, 3, 7])('returns each event exactly once, in order, in pages of %i', async (limit) => {
    // Act
    const read = await readAll(limit);

    // Assess
    expect(read.map(feedPosition)).toEqual(expected.map(feedPosition));
  });

  it('orders by time, then name, and each name by version', async () => {
    // Act
    const read = await readAll(1000);

    // Assess
    for (const [index, event] of read.entries()) {
      const previous = read[index - 1];
      if (previous) expect(previous.occurredAt <= event.occurredAt).toBe(true);
    }
    for (const name of names) {
      const versions = read.filter((event) => event.name === name).map((event) => event.version);
      expect(versions).toEqual(versions.map((_, index) => index + 1));
    }
  });

  it('keeps the health heartbeat out', async () => {
    // Act
    const read = await readAll(1000);

    // Assess
    expect(events.some((event) => event.name === heartbeatName)).toBe(true);
    expect(read.some((event) => event.name === heartbeatName)).toBe(false);
  });

  it('serves nothing that is not yet older than the settle window', async () => {
    // Act
    const page = await readChanges({ feed }, { limit: 1000, waitMs: 0 }, { settleMs: 60_000 });

    // Assess
    expect(page).toEqual({ changes: [], resumeAfter: undefined });
  });

  it('reads up to a bound and resumes after a position that holds no item', async () => {
    // Prepare
    const middle = expected[Math.floor(expected.length / 2)] as ConfigEvent;
    const bound = positionCeiling(middle.occurredAt);
    const between = `${middle.occurredAt}#${middle.name}#${'0'.repeat(11)}`;

    // Act
    const upToBound = await feed.readAfter(undefined, bound, 1000);
    const afterGap = await feed.readAfter(between, positionCeiling('9999-12-31T23:59:59.999Z'), 1);

    // Assess
    expect(upToBound.map((entry) => entry.event)).toEqual(
      expected.filter((event) => event.occurredAt <= middle.occurredAt),
    );
    expect(afterGap.map((entry) => entry.position)).toEqual([
      feedPosition(expected.find((event) => feedPosition(event) > between) ?? middle),
    ]);
  });
});
