import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

const changesets = 24;
const parts = ['a', 'b', 'c'];
const namesOf = (index: number) => parts.map((part) => `kill.${index}.${part}`);

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 30_000) throw new Error('Gave up waiting.');
    await sleep(5);
  }
}

describe('E2E: changesets when the local stack is killed (kill -9) while they are written', () => {
  it('keeps every acknowledged changeset whole, and every other one whole or not at all', async () => {
    const dataDir = await scratchDir('changeset-kill');
    const first = await startLocalStackProcess({ DATA_DIR: dataDir, SYNC_WRITES: 'true' });
    const api = apiClient(first.url);
    const acknowledged = new Set<number>();
    const sent = Array.from({ length: changesets }, async (_, index) => {
      // Spread over the moment of the kill: some answered before it, some cut off by it.
      await sleep(index * 10);
      const operations = namesOf(index).map((name) => ({ op: 'set', name, value: index }));
      const response = await api
        .call('POST', '/changesets', { json: { operations } })
        .catch(() => undefined);
      if (response?.status === 200) acknowledged.add(index);
    });
    await until(() => acknowledged.size >= changesets / 4);
    await first.crash();
    await Promise.all(sent);

    const second = await startLocalStackProcess({ DATA_DIR: dataDir, SYNC_WRITES: 'true' });
    try {
      const after = apiClient(second.url);
      for (let index = 0; index < changesets; index++) {
        const reads = await Promise.all(
          namesOf(index).map((name) => after.get(`/config/${name}?consistent=true`)),
        );
        const present = reads.map((read) => read.status === 200);
        expect(new Set(present).size, `changeset ${index} is cut in two`).toBe(1);
        if (acknowledged.has(index)) expect(present[0], `changeset ${index} was lost`).toBe(true);
      }
      const feed = await after.get('/changes?limit=1000');
      const revisions = feed.body.changes.map((change: { revision: number }) => change.revision);
      for (const revision of new Set(revisions)) {
        expect(revisions.filter((seen: number) => seen === revision)).toHaveLength(parts.length);
      }
      expect(acknowledged.size).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
