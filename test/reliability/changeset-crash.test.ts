import { beforeAll, describe, expect, it } from 'vitest';
import { applyChangeset } from '#app/changesets.ts';
import { setValue } from '#app/commands.ts';
import { catchUp } from '#app/projection.ts';
import { getEntry } from '#app/queries.ts';
import type { ChangesetOperation } from '#domain/changeset.ts';
import type { Commit } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import { type CommitFault, faultyStores, SimulatedCrash } from '#test/faults.ts';
import { allCommits, createTestTables, testStores, testTableName } from '#test/stores.ts';

/**
 * A changeset is one log item written by one conditional put, so there is no step between its
 * operations at which a writer can die: whatever happens around the put, the log holds all of
 * the changeset or none of it, and so does every read, at every revision.
 */

const stores = testStores();
const tables = {
  log: testTableName(logTable),
  history: testTableName(historyTable),
  projection: testTableName(projectionTable),
};

beforeAll(createTestTables);

const names = (prefix: string) => [`${prefix}.a`, `${prefix}.b`, `${prefix}.c`];
const setting = (prefix: string, value: string): ChangesetOperation[] =>
  names(prefix).map((name) => ({ op: 'set', name, value: toJsonText(value) }));

/** Applies a changeset through a writer that meets the fault; what it was told, and the log's new commits. */
async function applyWith(fault: CommitFault, operations: ChangesetOperation[], delayMs = 0) {
  const before = (await allCommits(stores)).length;
  const writer = faultyStores(tables, { fault, delayBeforeCommitMs: delayMs }, () => {});
  const outcome = await applyChangeset(writer, { actor: 'ops', operations }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  await catchUp(stores);
  return { outcome, added: (await allCommits(stores)).slice(before) };
}

/** Each name's value at a revision, as an exact read shows it ('absent' when it does not exist). */
async function valuesAt(revision: number, of: readonly string[]) {
  return Promise.all(
    of.map(async (name) =>
      getEntry(stores, name, { kind: 'revision', revision }).then(
        ({ result }) => result.value as string,
        () => 'absent',
      ),
    ),
  );
}

const changesetEvents = (commit: Commit | undefined) => commit?.events.map((event) => event.name);

describe('Reliability: a changeset under crashes around its one put', () => {
  it('leaves nothing when the writer dies before its put', async () => {
    const { outcome, added } = await applyWith('crash-before-commit', setting('before', 'x'));

    expect(outcome).toEqual({ error: expect.any(SimulatedCrash) });
    expect(added).toEqual([]);
    const newest = (await allCommits(stores)).at(-1)?.revision ?? 0;
    expect(await valuesAt(newest, names('before'))).toEqual(['absent', 'absent', 'absent']);
  });

  it('leaves all of it when the writer dies after its put, and readers see it whole', async () => {
    const { outcome, added } = await applyWith('crash-after-commit', setting('after', 'y'));

    expect(outcome).toEqual({ error: expect.any(SimulatedCrash) });
    expect(added).toHaveLength(1);
    const [commit] = added;
    expect(changesetEvents(commit)).toEqual(names('after'));
    const revision = commit?.revision ?? 0;
    expect(await valuesAt(revision - 1, names('after'))).toEqual(['absent', 'absent', 'absent']);
    expect(await valuesAt(revision, names('after'))).toEqual(['"y"', '"y"', '"y"']);
  });

  it('commits once when the SDK sends its put again after it succeeded', async () => {
    const { outcome, added } = await applyWith('retried-after-commit', setting('retried', 'z'));

    expect(outcome).toMatchObject({ result: { revision: added[0]?.revision } });
    expect(added).toHaveLength(1);
    expect(changesetEvents(added[0])).toEqual(names('retried'));
  });

  it('is decided again, whole, when another write takes its revision while its put is delayed', async () => {
    await setValue(stores, { name: 'raced.b', value: toJsonText('old'), actor: 'setup' });
    const racing = applyWith('none', setting('raced', 'new'), 150);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await setValue(stores, { name: 'raced.b', value: toJsonText('between'), actor: 'other' });
    const { outcome, added } = await racing;

    expect(outcome).toHaveProperty('result');
    const changeset = added.filter((commit) => commit.actor === 'ops');
    expect(changeset).toHaveLength(1);
    expect(changeset[0]?.events.map(({ name, version }) => ({ name, version }))).toEqual([
      { name: 'raced.a', version: 1 },
      // Decided on top of the write that came between: version 3, not a lost update.
      { name: 'raced.b', version: 3 },
      { name: 'raced.c', version: 1 },
    ]);
  });
});
