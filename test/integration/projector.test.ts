import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { catchUp } from '#app/projection.ts';
import type { Stores } from '#app/stores.ts';
import { fold } from '#domain/entry.ts';
import type { Commit } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import {
  allCommits,
  createTestTables,
  freshViews,
  streamRecordsOf,
  testStores,
} from '#test/stores.ts';
import { deliverToProjector, shuffled } from '#test/stream-delivery.ts';

const stores = testStores();
const names = ['alpha', 'beta.one', 'beta.two', 'gamma:x'];
let commits: Commit[];

beforeAll(async () => {
  await createTestTables();
  // A history with updates, deletes and re-creations on a few names.
  for (let round = 0; round < 6; round++) {
    for (const [index, name] of names.entries()) {
      if ((round + index) % 4 === 3) {
        await deleteValue(stores, { name, actor: 'ops' }).catch(() => undefined);
      } else {
        await setValue(stores, { name, value: toJsonText({ round, name }), actor: 'ops' });
      }
    }
  }
  commits = await allCommits(stores);
});

/** The views hold exactly the fold of the log, and the progress stands at its end. */
async function expectViewsEqualTheLog(views: Stores) {
  const events = commits.flatMap((commit) => commit.events);
  for (const name of names) {
    const expected = fold(name, events);
    expect(await views.projection.get(name)).toEqual(expected);
    const history = await views.history.page(name, { after: 0, through: 1_000 }, 100);
    expect(history.events).toEqual(events.filter((event) => event.name === name));
  }
  expect((await views.projection.progress()).revision).toBe(commits.at(-1)?.revision);
}

describe('Integration: projector on a real engine', () => {
  it('ends at the fold of the log whatever the delivery: duplicated, shuffled, redelivered', async () => {
    const records = streamRecordsOf(commits);
    const duplicated = [...records, ...records.filter((_, index) => index % 3 === 0)];
    for (const seed of [1, 2, 3]) {
      const views = await freshViews(stores);
      await deliverToProjector(views, shuffled(duplicated, seed), 1 + seed * 3);
      await expectViewsEqualTheLog(views);
    }
  });

  it('fills from the log what a batch skipped: a lost batch does not hold the progress back', async () => {
    const views = await freshViews(stores);
    // Only the last third of the records ever arrives.
    const records = streamRecordsOf(commits);
    await deliverToProjector(views, records.slice((records.length * 2) / 3), 5);
    await expectViewsEqualTheLog(views);
  });

  it('gets the same views from two projector invocations running at once', async () => {
    const views = await freshViews(stores);
    const records = streamRecordsOf(commits);
    await Promise.all([
      deliverToProjector(views, records, 3),
      deliverToProjector(views, shuffled(records, 9), 4),
    ]);
    await expectViewsEqualTheLog(views);
  });

  it('does not let an old event resurrect a deleted entry', async () => {
    const name = 'resurrection.guard';
    await setValue(stores, { name, value: toJsonText('old'), actor: 'ops' });
    await deleteValue(stores, { name, actor: 'ops' });
    const [set, deleted] = (await allCommits(stores)).slice(-2);
    const views = await freshViews(stores);
    await deliverToProjector(views, streamRecordsOf([deleted as Commit, set as Commit]), 10);
    const state = await views.projection.get(name);
    expect(state?.version).toBe(2);
    expect(state?.current).toBeUndefined();
  });

  it('catches up from the log alone, and a rebuild from the start changes nothing', async () => {
    const views = await freshViews(stores);
    const report = await catchUp(views);
    commits = await allCommits(stores);
    expect(report.commitsApplied).toBe(commits.length);
    await expectViewsEqualTheLog(views);
    await catchUp(views, { from: 0 });
    await expectViewsEqualTheLog(views);
  });
});
