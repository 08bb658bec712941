import { beforeAll, describe, expect, it } from 'vitest';
import { setValue } from '#app/commands.ts';
import { VersionConflictError } from '#domain/errors.ts';
import { toJsonText } from '#domain/json.ts';
import { allCommits, createTestTables, testStores } from '#test/stores.ts';

const stores = testStores();
/**
 * What is specified here is the order, not the speed: on a slow engine (Amazon DynamoDB Local on
 * a busy machine takes a second a call) the default budget of retries runs out first.
 */
const patient = { retryBudgetMs: 120_000 };

beforeAll(createTestTables);

describe('Integration: concurrent writers on a real engine', () => {
  it('gives 20 concurrent blind writers to one name versions 1..20 at 20 revisions, losing none', async () => {
    const name = 'contended.blind';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, writer) =>
        setValue(
          stores,
          { name, value: toJsonText({ writer }), actor: `writer-${writer}` },
          patient,
        ),
      ),
    );

    const events = (await allCommits(stores))
      .flatMap((commit) => commit.events)
      .filter((event) => event.name === name);
    expect(events.map((event) => event.version)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    expect(new Set(events.map((event) => event.actor)).size).toBe(20);
    // What each writer was told is what the log holds.
    for (const { entry } of results) {
      expect(events.find((event) => event.revision === entry.revision)).toMatchObject({
        version: entry.version,
        actor: entry.updatedBy,
      });
    }
    const instants = events.map((event) => event.occurredAt);
    expect([...instants].sort()).toEqual(instants);
  });

  it('gives writers to many names dense, distinct revisions in one order', async () => {
    const before = (await allCommits(stores)).length;
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, writer) =>
        setValue(
          stores,
          { name: `spread.n${writer % 5}`, value: toJsonText(writer), actor: 'w' },
          patient,
        ),
      ),
    );
    const revisions = results.map(({ entry }) => entry.revision).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 16 }, (_, index) => before + index + 1));
    expect((await allCommits(stores)).map((commit) => commit.revision)).toEqual(
      Array.from({ length: before + 16 }, (_, index) => index + 1),
    );
  });

  it('lets exactly one of 10 writers expecting the same version win; the rest get a conflict', async () => {
    const name = 'contended.guarded';
    await setValue(stores, { name, value: toJsonText(0), actor: 'setup' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, writer) =>
        setValue(
          stores,
          {
            name,
            value: toJsonText(writer),
            actor: `writer-${writer}`,
            expectedVersion: 1,
          },
          patient,
        ),
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
