import { mkdir, readFile, rename, rmdir } from 'node:fs/promises';
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

describe('Reliability: change events across kill -9', () => {
  it('announces at the next start the changes whose events were in flight', async () => {
    // Prepare: one change announced, then the file made unwritable so the next ones stay
    // in flight, retried in memory, when the process is killed.
    const dataDir = await scratchDir('events-crash');
    const eventsFile = join(dataDir, 'change-events.jsonl');
    const env = {
      DATA_DIR: dataDir,
      STREAM_MAX_RETRIES: '100',
      STREAM_RETRY_DELAY_MS: '1000',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const first = await startLocalStackProcess(env);
    const api = apiClient(first.url);
    expect((await api.put('/config/crash.a', { value: 1 })).status).toBe(201);
    expect(await linesOf(eventsFile, 1)).toHaveLength(1);
    await rename(eventsFile, `${eventsFile}.aside`);
    await mkdir(eventsFile);
    expect((await api.put('/config/crash.b', { value: 2 })).status).toBe(201);
    expect((await api.put('/config/crash.a', { value: 3 })).status).toBe(200);

    // Act
    await first.crash();
    await rmdir(eventsFile);
    await rename(`${eventsFile}.aside`, eventsFile);
    const second = await startLocalStackProcess(env);

    // Assess: announced before the stack serves, each once, in order.
    try {
      const events = await linesOf(eventsFile, 3);
      expect(
        events.map((event) => {
          const detail = event.detail as { name: string; revision: number };
          return [detail.revision, detail.name];
        }),
      ).toEqual([
        [1, 'crash.a'],
        [2, 'crash.b'],
        [3, 'crash.a'],
      ]);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 60_000);
});
