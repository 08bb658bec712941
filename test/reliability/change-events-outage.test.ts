import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { errorMessages, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

/** The lines of a JSON Lines file, once it has at least `count` (the publisher is async). */
async function linesOf(file: string, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((line) => line !== '');
    if (lines.length >= count || Date.now() > deadline) return lines.map((l) => JSON.parse(l));
    await sleep(25);
  }
}

describe('Reliability: a sink of change events that is down', () => {
  it('retries and dead-letters its batches, while writes and projected reads go on', async () => {
    // Prepare: the events "file" is a folder, so every append fails, like an unreachable bus.
    const dataDir = await scratchDir('events-down');
    const sinkDown = join(dataDir, 'unwritable');
    await mkdir(sinkDown);
    const stack = await startLocalStackProcess({
      DATA_DIR: dataDir,
      CHANGE_EVENTS_FILE: sinkDown,
      STREAM_MAX_RETRIES: '2',
      STREAM_RETRY_DELAY_MS: '10',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    try {
      const api = apiClient(stack.url);

      // Act
      expect((await api.put('/config/down.a', { value: 1 })).status).toBe(201);
      expect((await api.put('/config/down.b', { value: 2 })).status).toBe(201);

      // Assess: the projection is not held back (a list waits for the projector)…
      const list = await api.get('/config');
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { name: string }) => item.name)).toEqual([
        'down.a',
        'down.b',
      ]);
      // …and the publisher tried each batch three times, then set it aside, as a mapping would.
      const deadLetters = await linesOf(join(dataDir, 'change-events-dead-letter.jsonl'), 2);
      expect(deadLetters.map((line) => line.attempts)).toEqual([3, 3]);
      expect(errorMessages(stack.output)).toContain(
        'Commits could not be published; the batch is retried from the first of them',
      );
      // The projector's own dead letters stay empty.
      await expect(readFile(join(dataDir, 'dead-letter.jsonl'))).rejects.toThrow(/ENOENT/);
    } finally {
      await stack.stop();
    }
  });
});
