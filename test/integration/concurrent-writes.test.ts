import { beforeAll, describe, expect, it } from 'vitest';
import { setValue } from '#app/commands.ts';
import { VersionConflictError } from '#domain/errors.ts';
import { toJsonText } from '#domain/json.ts';
import { handler as projector } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { allEvents, createTestTables, streamRecordsOf, testStores } from '#test/stores.ts';

const stores = testStores();

beforeAll(createTestTables);

describe('Integration: concurrent writers on a real engine', () => {
  it('gives 20 concurrent blind writers to one name versions 1..20, losing none', async () => {
    const name = 'contended.blind';
    const writes = Array.from({ length: 20 }, (_, writer) =>
      setValue(stores.events, { name, value: toJsonText({ writer }), actor: `writer-${writer}` }),
    );
    const results = await Promise.all(writes);

    const events = (await allEvents(stores)).filter((event) => event.name === name);
    expect(events.map((event) => event.version)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    expect(new Set(events.map((event) => event.actor)).size).toBe(20);
    expect(results.map((result) => result.entry.version).sort((a, b) => a - b)).toEqual(
      events.map((event) => event.version),
    );
    const occurredAt = events.map((event) => event.occurredAt);
    expect([...occurredAt].sort()).toEqual(occurredAt);
    expect(new Set(occurredAt).size).toBe(20);

    await projector(
      { Records: streamRecordsOf(events) },
      lambdaContext('projector', 't'),
      () => {},
    );
    expect(await stores.projection.get(name)).toMatchObject({ version: 20 });
  });

  it('lets exactly one of 10 writers expecting the same version win; the rest get a conflict', async () => {
    const name = 'contended.guarded';
    await setValue(stores.events, { name, value: toJsonText(0), actor: 'setup' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, writer) =>
        setValue(stores.events, {
          name,
          value: toJsonText(writer),
          actor: `writer-${writer}`,
          expectedVersion: 1,
        }),
      ),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const error of lost) {
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ currentVersion: 2 });
    }
  });
});
