import { describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { useRestartableStacks } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';
import { closedPort, eventually, startCli } from './cli-process.ts';

const { start: startStack, stop: stopStack } = useRestartableStacks();

describe('CLI: watch across a restart of the service', () => {
  it('reconnects when the local stack comes back on its data, and prints each change once', async () => {
    // Prepare: a stack on a data folder and a port that a restart can take again.
    const env = {
      DATA_DIR: await scratchDir('cli-watch-restart'),
      PORT: String(await closedPort()),
    };
    const first = await startStack(env);
    const api = apiClient(first.url);
    await api.put('/config/restart.before', { value: 'before' });
    const after = (await api.get('/changes?since=9999-01-01T00:00:00Z')).body.revision as number;
    const watch = startCli(['watch', '--after', String(after), '--wait', '1', '--count', '2'], {
      url: first.url,
    });
    let stderr = '';
    watch.child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    await eventually(() => stderr, 'Watching');

    // Act: the service stops; nothing is written while it is down; it starts again, then two
    // changes are made (the second shows that the first is not printed again after it).
    expect(await stopStack(first)).toBe(0);
    // The client's own retries come first: on a loaded machine that takes a while.
    await eventually(() => stderr, 'Trying again', 30_000);
    const second = await startStack(env);
    expect(second.url).toBe(first.url);
    await api.put('/config/restart.after', { value: 1 });
    await api.put('/config/restart.after', { value: 2 });
    const result = await watch.result;

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^r${after + 1} {2}\\S+Z {2}restart\\.after {2}v1 {2}set 1 `),
      ),
      expect.stringMatching(
        new RegExp(`^r${after + 2} {2}\\S+Z {2}restart\\.after {2}v2 {2}set 2 `),
      ),
    ]);
    expect(result.stderr).toContain('Trying again in');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(`Resume with --after ${after + 2}`);
  }, 90_000);
});
