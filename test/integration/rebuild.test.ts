import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { rebuildProjection } from '#app/rebuild.ts';
import { fold } from '#domain/entry.ts';
import { toJsonText } from '#domain/json.ts';
import { handler as projector } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { feedPosition, positionCeiling } from '#store/feed-store.ts';
import type { ProjectionStore } from '#store/projection-store.ts';
import {
  allEvents,
  createTestTables,
  freshFeed,
  freshProjection,
  streamRecordsOf,
  testFeed,
  testStores,
} from '#test/stores.ts';

const stores = testStores();
const names = Array.from({ length: 30 }, (_, index) => `svc${index % 3}.key${index}`);

async function writeHistory(round: number) {
  for (const [index, name] of names.entries()) {
    for (let step = 0; step <= index % 4; step++) {
      await setValue(stores.events, { name, value: toJsonText({ round, step }), actor: 'ops' });
    }
    if ((index + round) % 5 === 0) await deleteValue(stores.events, { name, actor: 'ops' });
  }
}

function snapshot(projection: ProjectionStore) {
  return Promise.all(
    names.map(async (name) => ({
      name,
      entry: await projection.get(name),
      version: await projection.projectedVersion(name),
    })),
  );
}

async function foldOfEvents() {
  const events = await allEvents(stores);
  return names.map((name) => {
    const state = fold(
      name,
      events.filter((event) => event.name === name).sort((a, b) => a.version - b.version),
    );
    return { name, entry: state.current, version: state.version };
  });
}

beforeAll(async () => {
  await createTestTables();
  await writeHistory(0);
  await projector(
    { Records: streamRecordsOf(await allEvents(stores)) },
    lambdaContext('projector', 'live'),
    () => {},
  );
});

describe('Integration: rebuild', () => {
  it('builds into an empty projection exactly what the live projector built', async () => {
    const rebuilt = await freshProjection('rebuilt');
    const report = await rebuildProjection(
      { events: stores.events, projection: rebuilt },
      { segments: 3 },
    );

    expect(report.eventsRead).toBe((await allEvents(stores)).length);
    expect(await snapshot(rebuilt)).toEqual(await snapshot(stores.projection));
    expect(await snapshot(rebuilt)).toEqual(await foldOfEvents());
  });

  it('changes nothing when run again (idempotent)', async () => {
    const before = await snapshot(stores.projection);
    await rebuildProjection(stores, { segments: 2 });
    await rebuildProjection(stores, { segments: 5 });
    expect(await snapshot(stores.projection)).toEqual(before);
  });

  it('replays every event into the change feed, once, however often it runs', async () => {
    const feed = testFeed();
    await rebuildProjection(stores, { segments: 3, feed: { store: feed } });
    const report = await rebuildProjection(stores, { segments: 2, feed: { store: feed } });

    const events = await allEvents(stores);
    const inFeed = await feed.readAfter(
      undefined,
      positionCeiling('9999-12-31T23:59:59.999Z'),
      10_000,
    );
    expect(report.feedEventsWritten).toBe(events.length);
    expect(inFeed.map((entry) => entry.position)).toEqual(events.map(feedPosition).sort());
  });

  it('replays only the tail of the feed when asked to', async () => {
    const events = (await allEvents(stores)).sort((a, b) =>
      a.occurredAt.localeCompare(b.occurredAt),
    );
    const since = events.at(-5)?.occurredAt ?? '';
    const report = await rebuildProjection(stores, { feed: { store: await freshFeed(), since } });
    expect(report.feedEventsWritten).toBe(
      events.filter((event) => event.occurredAt >= since).length,
    );
  });

  it('converges to the fold when it runs while writes and the projector go on', async () => {
    const eventsBefore = new Set((await allEvents(stores)).map((e) => `${e.name}@${e.version}`));
    const writing = writeHistory(1);
    const rebuilding = rebuildProjection(stores, { segments: 4 });
    await Promise.all([writing, rebuilding]);
    const newEvents = (await allEvents(stores)).filter(
      (event) => !eventsBefore.has(`${event.name}@${event.version}`),
    );
    await projector(
      { Records: streamRecordsOf(newEvents) },
      lambdaContext('projector', 'late'),
      () => {},
    );

    expect(await snapshot(stores.projection)).toEqual(await foldOfEvents());
  });
});
