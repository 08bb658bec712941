import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { fold } from '#domain/entry.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { handler as projector } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { allEvents, createTestTables, streamRecordsOf, testStores } from '#test/stores.ts';

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

/** Deterministic shuffling, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

async function deliver(records: DynamoDBRecord[], batchSize: number) {
  for (let start = 0; start < records.length; start += batchSize) {
    const response = await projector(
      { Records: records.slice(start, start + batchSize) },
      lambdaContext('projector', `batch-${start}`),
      () => {},
    );
    expect(response?.batchItemFailures).toEqual([]);
  }
}

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
      await deliver(shuffled(duplicated, seed), 1 + seed * 3);
      await expectProjectionEqualsFoldOf(events);
    }
    await deliver(records, 100);
    await expectProjectionEqualsFoldOf(events);
  });

  it('does not let an old event resurrect a deleted entry', async () => {
    const name = 'resurrection.guard';
    await setValue(stores.events, { name, value: toJsonText('old'), actor: 'ops' });
    await deleteValue(stores.events, { name, actor: 'ops' });
    const [set, deleted] = (await allEvents(stores)).filter((event) => event.name === name);
    await deliver(streamRecordsOf([deleted as ConfigEvent, set as ConfigEvent]), 10);
    expect(await stores.projection.get(name)).toBeUndefined();
    expect(await stores.projection.projectedVersion(name)).toBe(2);
  });
});
