import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { fold } from '#domain/entry.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { allEvents, createTestTables, streamRecordsOf, testStores } from '#test/stores.ts';
import { deliverToProjector, shuffled } from '#test/stream-delivery.ts';

const stores = testStores();
const names = ['alpha', 'beta.one', 'beta.two', 'gamma:x'];

beforeAll(async () => {
  await createTestTables();
  // A history with updates, deletes and re-creations on a few names.
  for (let round = 0; round < 6; round++) {
    for (const [index, name] of names.entries()) {
      if ((round + index) % 4 === 3) {
        await deleteValue(stores.events, { name, actor: 'ops' }).catch(() => undefined);
      } else {
        await setValue(stores.events, { name, value: toJsonText({ round, name }), actor: 'ops' });
      }
    }
  }
});

async function expectProjectionEqualsFoldOf(events: ConfigEvent[]) {
  for (const name of names) {
    const expected = fold(
      name,
      events.filter((event) => event.name === name).sort((a, b) => a.version - b.version),
    );
    expect(await stores.projection.get(name)).toEqual(expected.current);
    expect(await stores.projection.projectedVersion(name)).toBe(expected.version);
  }
}

describe('Integration: projector on a real engine', () => {
  it('ends at the fold of the events whatever the delivery: duplicated, shuffled, redelivered', async () => {
    const events = await allEvents(stores);
    const records = streamRecordsOf(events);
    const duplicated = [...records, ...records.filter((_, index) => index % 3 === 0)];
    for (const seed of [1, 2, 3]) {
      await deliverToProjector(shuffled(duplicated, seed), 1 + seed * 3);
      await expectProjectionEqualsFoldOf(events);
    }
    await deliverToProjector(records, 100);
    await expectProjectionEqualsFoldOf(events);
  });

  it('does not let an old event resurrect a deleted entry', async () => {
    const name = 'resurrection.guard';
    await setValue(stores.events, { name, value: toJsonText('old'), actor: 'ops' });
    await deleteValue(stores.events, { name, actor: 'ops' });
    const [set, deleted] = (await allEvents(stores)).filter((event) => event.name === name);
    await deliverToProjector(streamRecordsOf([deleted as ConfigEvent, set as ConfigEvent]), 10);
    expect(await stores.projection.get(name)).toBeUndefined();
    expect(await stores.projection.projectedVersion(name)).toBe(2);
  });
});
