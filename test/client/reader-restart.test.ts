import { describe, expect, it } from 'vitest';
import { ConfigReader, longPollFeed, NetworkError } from '#client/index.ts';
import { apiClient } from '#test/http.ts';
import { useRestartableStacks } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';
import { closedPort } from '../cli/cli-process.ts';
import { countingClient, described, record, until } from './reader-support.ts';

const { start: startStack, stop: stopStack } = useRestartableStacks();

describe('Class: ConfigReader, while the service goes away and comes back', () => {
  it('serves the last snapshot while it is down, says how stale, then resumes without a gap or a repeat', async () => {
    // Prepare: a stack on a data folder and a port that a restart can take again; a reader
    // following it.
    const env = { DATA_DIR: await scratchDir('client-restart'), PORT: String(await closedPort()) };
    const first = await startStack(env);
    const api = apiClient(first.url);
    await api.put('/config/svc.timeout_ms', { value: 1000 });
    const { client } = countingClient(first.url);
    const reader = await ConfigReader.load(client, {
      prefix: 'svc.',
      source: longPollFeed(client, 1),
      reconnect: { baseDelayMs: 50, maxDelayMs: 300 },
    });
    const recorded = record(reader);
    await api.put('/config/svc.timeout_ms', { value: 2000 });
    await until(() => reader.get('svc.timeout_ms') === 2000);

    // Act 1: the service stops.
    expect(await stopStack(first)).toBe(0);
    await until(() => recorded.errors.length >= 2);
    const whileDown = reader.staleness();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const laterWhileDown = reader.staleness();

    // Assess 1: stale-if-error.
    expect(recorded.errors[0]).toBeInstanceOf(NetworkError);
    expect(reader.get('svc.timeout_ms')).toBe(2000);
    expect(laterWhileDown.revision).toBe(whileDown.revision);
    // Staler the longer it is down (timers may fire a little early: no exact amount is asked).
    expect(laterWhileDown.ageMs).toBeGreaterThan(whileDown.ageMs);

    // Act 2: it starts again on its data; two changes are made.
    const second = await startStack(env);
    expect(second.url).toBe(first.url);
    await api.put('/config/svc.timeout_ms', { value: 3000 });
    const last = await api.put('/config/svc.retries', { value: 5 });
    await until(() => reader.revision >= Number(last.headers.get('config-revision')));
    recorded.unsubscribe();

    // Assess 2: every change once, in order; fresh again.
    expect(described(recorded.changes)).toEqual([
      `r${whileDown.revision} svc.timeout_ms v2`,
      `r${whileDown.revision + 1} svc.timeout_ms v3`,
      `r${whileDown.revision + 2} svc.retries v1`,
    ]);
    expect(reader.get('svc.timeout_ms')).toBe(3000);
    expect(reader.staleness().ageMs).toBeLessThan(laterWhileDown.ageMs);
  });
});
