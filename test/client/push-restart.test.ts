import { describe, expect, it } from 'vitest';
import { ConfigReader } from '#client/index.ts';
import { apiClient } from '#test/http.ts';
import { useRestartableStacks } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';
import { closedPort } from '../cli/cli-process.ts';
import { countingClient, described, record, until } from './reader-support.ts';

const { start: startStack } = useRestartableStacks();

describe('Class: ConfigReader on push, while the stack is killed and restarted', () => {
  it('resumes without missing or repeating a change', async () => {
    // Prepare: a stack on a data folder and ports a restart can take again; readers on push.
    const env = {
      DATA_DIR: await scratchDir('push-restart'),
      PORT: String(await closedPort()),
      PUSH_PORT: String(await closedPort()),
    };
    const first = await startStack(env);
    const api = apiClient(first.url);
    await api.put('/config/kill.a', { value: 0 });
    const readers = await Promise.all(
      [0, 1, 2].map(async () => {
        const reader = await ConfigReader.load(countingClient(first.url).client, {
          prefix: 'kill.',
          push: { url: first.pushUrl, retryPushMs: 100 },
          reconnect: { baseDelayMs: 50, maxDelayMs: 300 },
        });
        return { reader, recorded: record(reader) };
      }),
    );
    const start = readers[0]?.reader.revision ?? 0;

    // Act: changes, kill -9 right after one, changes after the restart.
    for (let index = 1; index <= 4; index++) await api.put('/config/kill.a', { value: index });
    await api.put('/config/kill.b', { value: 'just before the kill' });
    await first.crash();
    const second = await startStack(env);
    expect(second.pushUrl).toBe(first.pushUrl);
    for (let index = 5; index <= 8; index++) await api.put('/config/kill.a', { value: index });
    const last = (await api.get('/health')).body.revision as number;
    await until(() => readers.every(({ reader }) => reader.revision >= last), 30_000);

    // Assess: each reader saw every change once, in order.
    const page = (await api.get(`/changes?after=${start}`)).body as { changes: never[] };
    const expected = described(page.changes);
    expect(expected).toHaveLength(9);
    for (const { reader, recorded } of readers) {
      expect(described(recorded.changes)).toEqual(expected);
      expect(reader.get('kill.a')).toBe(8);
      reader.close();
    }
  }, 90_000);
});
