import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotPolicy } from '#domain/snapshot.ts';
import { apiClient } from '#test/http.ts';
import { projectionCaughtUp } from '#test/load.ts';
import {
  type LocalStackProcess,
  parseLine,
  startLocalStackProcess,
} from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;
const names = ['svc.a', 'svc.b', 'svc.c', 'svc.d', 'other.x'];
/** Value of each name after `writes` writes, in the round-robin order the test writes them. */
const expectedAfter = (writes: number) =>
  names
    .map((name, index) => ({ name, value: lastWrite(index, writes) }))
    .filter((entry) => entry.value !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
const lastWrite = (index: number, writes: number) => {
  const rounds = Math.floor((writes - 1 - index) / names.length);
  return writes > index ? index + rounds * names.length : undefined;
};

async function write(count: number, from: number): Promise<void> {
  for (let index = from; index < from + count; index += 1) {
    const response = await api.put(`/config/${names[index % names.length]}`, { value: index });
    expect(response.status).toBeLessThan(300);
  }
}

/** The snapshots the stack's schedule reported taking, by revision. */
function snapshotsTaken(): number[] {
  return stack.output.flatMap((line) => {
    const parsed = parseLine(line);
    return parsed?.message === 'Took a snapshot' ? [Number(parsed.revision)] : [];
  });
}

async function untilSnapshotAt(revision: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (snapshotsTaken().includes(revision)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No snapshot at revision ${revision}: ${snapshotsTaken().join(', ')}`);
}

beforeAll(async () => {
  stack = await startLocalStackProcess({
    DATA_DIR: await scratchDir('snapshots'),
    POWERTOOLS_LOG_LEVEL: 'INFO',
    SNAPSHOT_INTERVAL_MS: '200',
  });
  api = apiClient(stack.url);
}, 60_000);

afterAll(async () => {
  await stack.stop();
});

describe('E2E: snapshots taken on the schedule serve the whole configuration at a past point', () => {
  it('takes one once the log has enough commits, and exports any point before or after it exactly', async () => {
    // Prepare: a snapshot is due after the policy's minimum of commits.
    const first = snapshotPolicy.minCommits;
    await write(first, 0);
    await untilSnapshotAt(first);
    await write(30, first);
    await projectionCaughtUp(stack.url);

    // Act
    const points = [1, 57, first, first + 1, first + 30];
    const exports = await Promise.all(
      points.map((revision) => api.get(`/export?revision=${revision}`)),
    );

    // Assess
    for (const [index, revision] of points.entries()) {
      const body = exports[index]?.body as { revision: number; entries: unknown[] };
      expect(body.revision).toBe(revision);
      expect(body.entries).toEqual(
        expectedAfter(revision).map((entry) => expect.objectContaining(entry)),
      );
    }
  }, 120_000);

  it('answers a prefix at a past point with its names only', async () => {
    const response = await api.get(`/export?revision=${snapshotPolicy.minCommits}&prefix=svc.`);
    expect(response.status).toBe(200);
    expect(
      (response.body as { entries: Array<{ name: string }> }).entries.map((e) => e.name),
    ).toEqual(['svc.a', 'svc.b', 'svc.c', 'svc.d']);
  });
});
