import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChanges } from '#app/changes.ts';
import { applyChangeset, checkChangeset } from '#app/changesets.ts';
import { setValue } from '#app/commands.ts';
import { LedgerView } from '#app/ledger-view.ts';
import { pageAt } from '#app/pages-at.ts';
import { awaitProjected } from '#app/points.ts';
import type { ChangesetOperation } from '#domain/changeset.ts';
import { ChangesetConflictError, CommitTooLargeError } from '#domain/errors.ts';
import { type JsonText, toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { allCommits, createTestTables, keepProjecting, testStores } from '#test/stores.ts';

const stores = testStores();
let projector: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  await createTestTables();
  projector = keepProjecting(stores);
});
afterAll(() => projector?.stop());

/** A changeset that sets every one of `names` to the same tag: a reader must never see two tags. */
const tagging = (names: readonly string[], tag: string): ChangesetOperation[] =>
  names.map((name) => ({ op: 'set', name, value: toJsonText({ tag }) }));
const tagOf = (value: JsonText | undefined) =>
  value === undefined ? undefined : (JSON.parse(value) as { tag: string }).tag;

describe('Integration: changesets on a real engine', () => {
  it('applies every operation in one commit, at one revision', async () => {
    await setValue(stores, { name: 'one.b', value: toJsonText(1), actor: 'setup' });
    await setValue(stores, { name: 'one.c', value: toJsonText('old'), actor: 'setup' });
    await setValue(stores, { name: 'one.c', value: toJsonText('new'), actor: 'setup' });
    const before = (await allCommits(stores)).length;

    const result = await applyChangeset(stores, {
      actor: 'ops',
      comment: 'release 7',
      operations: [
        { op: 'set', name: 'one.a', value: toJsonText('x') },
        { op: 'delete', name: 'one.b', expectedVersion: 1 },
        { op: 'revert', name: 'one.c', toVersion: 1 },
      ],
    });

    const commits = await allCommits(stores);
    expect(commits).toHaveLength(before + 1);
    const commit = commits.at(-1);
    expect(commit).toMatchObject({ revision: result.revision, actor: 'ops' });
    expect(commit?.events).toEqual(result.changes.map((change) => expect.objectContaining(change)));
    expect(
      commit?.events.map(({ name, type, version, revision }) => ({
        name,
        type,
        version,
        revision,
      })),
    ).toEqual([
      { name: 'one.a', type: 'ConfigValueSet', version: 1, revision: result.revision },
      { name: 'one.b', type: 'ConfigValueDeleted', version: 2, revision: result.revision },
      { name: 'one.c', type: 'ConfigValueSet', version: 3, revision: result.revision },
    ]);
    expect(commit?.events[2]).toMatchObject({ value: '"old"', restoredVersion: 1 });
    expect(commit?.events.map((event) => event.comment)).toEqual(Array(3).fill('release 7'));
  });

  it('writes nothing when one operation fails, and names it', async () => {
    await setValue(stores, { name: 'refused.a', value: toJsonText(1), actor: 'setup' });
    const before = await allCommits(stores);

    const attempt = applyChangeset(stores, {
      actor: 'ops',
      operations: [
        { op: 'set', name: 'refused.new', value: toJsonText(1) },
        { op: 'set', name: 'refused.a', value: toJsonText(2), expectedVersion: 0 },
      ],
    });

    await expect(attempt).rejects.toThrow(ChangesetConflictError);
    await expect(attempt).rejects.toMatchObject({
      failures: [{ index: 1, name: 'refused.a', error: 'version_conflict', currentVersion: 1 }],
    });
    expect(await allCommits(stores)).toEqual(before);
  });

  it('refuses a changeset too large for one commit before writing anything', async () => {
    const before = await allCommits(stores);
    const big = toJsonText('x'.repeat(limits.valueMaxBytes - 10));
    const operations: ChangesetOperation[] = ['big.a', 'big.b'].map((name) => ({
      op: 'set',
      name,
      value: big,
    }));

    await expect(applyChangeset(stores, { actor: 'ops', operations })).rejects.toThrow(
      CommitTooLargeError,
    );
    await expect(checkChangeset(stores, { actor: 'ops', operations })).rejects.toThrow(
      CommitTooLargeError,
    );
    expect(await allCommits(stores)).toEqual(before);
  });

  it('checks a changeset on a dry run without committing it', async () => {
    const before = await allCommits(stores);
    const checked = await checkChangeset(stores, {
      actor: 'ops',
      operations: tagging(['dry.a', 'dry.b'], 'dry'),
    });
    expect(checked.revision).toBe(before.at(-1)?.revision);
    expect(checked.changes.map((change) => change.version)).toEqual([1, 1]);
    expect(await allCommits(stores)).toEqual(before);
  });

  it('lets exactly one of 8 guarded changesets on the same versions win; the rest write nothing', async () => {
    const names = ['race.a', 'race.b'];
    await applyChangeset(stores, { actor: 'setup', operations: tagging(names, 'start') });
    const before = (await allCommits(stores)).length;

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) =>
        applyChangeset(stores, {
          actor: `writer-${writer}`,
          operations: names.map((name) => ({
            op: 'set',
            name,
            value: toJsonText({ tag: `w${writer}` }),
            expectedVersion: 1,
          })),
        }),
      ),
    );

    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome] : []));
    expect(won).toHaveLength(1);
    for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(ChangesetConflictError);
    expect(await allCommits(stores)).toHaveLength(before + 1);
  });

  // Atomicity is the point here, not liveness: on a busy CI machine the writers may wait long.
  const patient = { retryBudgetMs: 30_000 };

  it('never shows part of a changeset to readers, feed followers or points in time, under concurrent writers', async () => {
    const names = ['atomic.a', 'atomic.b', 'atomic.c'];
    const first = (await allCommits(stores)).length + 1;
    let writing = true;
    const seenTags: string[][] = [];
    // Exact reads at the newest revision while changesets and single writes race.
    const reader = (async () => {
      while (writing) {
        const view = await LedgerView.atNewest(stores, names);
        const states = await view.statesOf(names);
        seenTags.push(names.map((name) => String(tagOf(states.get(name)?.current?.value))));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await Promise.all([
      ...Array.from({ length: 4 }, async (_, writer) => {
        for (let round = 0; round < 3; round++) {
          await applyChangeset(
            stores,
            { actor: `writer-${writer}`, operations: tagging(names, `w${writer}r${round}`) },
            patient,
          );
        }
      }),
      ...Array.from({ length: 4 }, async (_, writer) => {
        for (let round = 0; round < 3; round++) {
          await setValue(
            stores,
            {
              name: `atomic.lone${writer}`,
              value: toJsonText(round),
              actor: 'lone',
            },
            patient,
          );
        }
      }),
    ]);
    writing = false;
    await reader;

    expect(seenTags.length).toBeGreaterThan(0);
    for (const tags of seenTags) expect(new Set(tags).size).toBe(1);
    const commits = (await allCommits(stores)).filter((commit) => commit.revision >= first);
    const last = commits.at(-1)?.revision ?? 0;
    // Every point in time, read the way lists and exports read it.
    await awaitProjected(stores, last, { timeoutMs: 10_000 });
    for (let revision = first; revision <= last; revision++) {
      const page = await pageAt(stores, revision, {
        prefix: 'atomic.',
        limit: 100,
        maxBytes: 1_000_000,
      });
      const tags = page.entries
        .filter((entry) => names.includes(entry.name))
        .map((entry) => tagOf(entry.value));
      expect(tags.length === 0 || (tags.length === 3 && new Set(tags).size === 1)).toBe(true);
    }
    // A feed follower reading one change at a time still gets each commit whole.
    let after = first - 1;
    while (after < last) {
      const page = await readChanges(stores, { after, limit: 1, maxBytes: 1, waitMs: 0 });
      for (const commit of page.commits) {
        const touched = commit.events.filter((event) => names.includes(event.name));
        expect([0, 3]).toContain(touched.length);
      }
      after = page.revision;
    }
  }, 60_000);
});
