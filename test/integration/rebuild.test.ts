import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { catchUp } from '#app/projection.ts';
import type { Stores } from '#app/stores.ts';
import { fold } from '#domain/entry.ts';
import { toJsonText } from '#domain/json.ts';
import {
  allCommits,
  createTestTables,
  freshViews,
  keepProjecting,
  testStores,
} from '#test/stores.ts';

const stores = testStores();
const names = Array.from({ length: 30 }, (_, index) => `svc${index % 3}.key${index}`);

async function writeHistory(round: number) {
  for (const [index, name] of names.entries()) {
    for (let step = 0; step <= index % 4; step++) {
      await setValue(stores, { name, value: toJsonText({ round, step }), actor: 'ops' });
    }
    if ((index + round) % 5 === 0) await deleteValue(stores, { name, actor: 'ops' });
  }
}

function snapshot(views: Stores) {
  return Promise.all(names.map((name) => views.projection.get(name)));
}

async function foldOfLog() {
  const events = (await allCommits(stores)).flatMap((commit) => commit.events);
  return names.map((name) => fold(name, events));
}

beforeAll(async () => {
  await createTestTables();
  const projecting = keepProjecting(stores);
  await writeHistory(0);
  await projecting.stop();
});

describe('Integration: rebuild', () => {
  it('builds into empty views exactly what the live projector built', async () => {
    const rebuilt = await freshViews(stores);
    const report = await catchUp(rebuilt, { from: 0 });

    expect(report.commitsApplied).toBe((await allCommits(stores)).length);
    expect(await snapshot(rebuilt)).toEqual(await snapshot(stores));
    expect(await snapshot(rebuilt)).toEqual(await foldOfLog());
  });

  it('changes nothing when run again (idempotent)', async () => {
    const before = await snapshot(stores);
    await catchUp(stores, { from: 0 });
    await catchUp(stores, { from: 0 });
    expect(await snapshot(stores)).toEqual(before);
  });

  it('converges to the fold when it runs while writes and the projector go on', async () => {
    const projecting = keepProjecting(stores);
    await Promise.all([writeHistory(1), catchUp(stores, { from: 0 })]);
    await projecting.stop();

    expect(await snapshot(stores)).toEqual(await foldOfLog());
    expect((await stores.projection.progress()).revision).toBe((await allCommits(stores)).length);
  });

  it('stops when out of time with its progress saved, and the next run goes on from there', async () => {
    const rebuilt = await freshViews(stores);
    let steps = 0;
    const first = await catchUp(rebuilt, { outOfTime: () => ++steps >= 1 });
    const rest = await catchUp(rebuilt);

    expect(first.commitsApplied).toBe(100);
    expect((await rebuilt.projection.progress()).revision).toBe(rest.revision);
    expect(first.commitsApplied + rest.commitsApplied).toBe((await allCommits(stores)).length);
    expect(await snapshot(rebuilt)).toEqual(await foldOfLog());
  });
});
