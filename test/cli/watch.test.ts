import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, runCli, startCli, useCliStack } from './cli-process.ts';

const { api, local } = useCliStack();
/** When feed.b was set: the second change of the feed. */
let secondAt: string;

beforeAll(async () => {
  await api.call('PUT', '/config/feed.a', { rawBody: '{"value":12345678901234567890}' });
  const second = await api.call('PUT', '/config/feed.b', {
    rawBody: '{"value":{"on":true},"comment":"why"}',
  });
  secondAt = second.body.updatedAt;
  await api.delete('/config/feed.a');
});

const resumeIn = (stderr: string) => /Resume with --after (\d+)/.exec(stderr)?.[1] ?? '';

/** The newest revision: a watch after it sees only what comes next. */
async function newestRevision(): Promise<string> {
  const page = await api.get('/changes?since=9999-01-01T00:00:00Z');
  expect(page.status).toBe(200);
  return String(page.body.revision);
}

describe('CLI: watch', () => {
  it('prints the changes from the start with --from-start, then the revision to resume after', async () => {
    const result = await runCli(['watch', '--from-start', '--count', '3'], local);

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^r1 {2}\S+Z {2}feed\.a {2}v1 {2}set 12345678901234567890 {2}by local$/,
      ),
      expect.stringMatching(
        /^r2 {2}\S+Z {2}feed\.b {2}v1 {2}set \{"on":true\} {2}by local {2}# why$/,
      ),
      expect.stringMatching(/^r3 {2}\S+Z {2}feed\.a {2}v2 {2}deleted {2}by local$/),
    ]);
    expect(result.stderr).toMatch(/^Watching http:\/\/127\.0\.0\.1:\d+ for changes/);
    expect(resumeIn(result.stderr)).toBe('3');
  });

  it('prints one JSON change per line with --json, values exact, and resumes with --after', async () => {
    const first = await runCli(['watch', '--json', '--count', '1', '--from-start'], local);
    const rest = await runCli(
      ['watch', '--json', '--count', '2', '--after', resumeIn(first.stderr)],
      local,
    );

    expect(first.stdout).toMatch(/^\{"name":"feed\.a","version":1,.*"value":12345678901234567890/);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(jsonLines(rest.stdout)).toEqual([
      expect.objectContaining({ name: 'feed.b', version: 1, comment: 'why' }),
      expect.objectContaining({ name: 'feed.a', version: 2, type: 'ConfigValueDeleted' }),
    ]);
  });

  it('starts now by default: waits for the next change (long poll) and prints it as it happens', async () => {
    const watch = startCli(['watch', '--count', '1'], local);
    let stderr = '';
    watch.child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    // "Now" is when the watch starts: write only once it says it is watching.
    await eventually(() => stderr, 'Watching');
    await new Promise((resolve) => setTimeout(resolve, 500));

    await api.put('/config/feed.live', { value: 'now' });
    const result = await watch.result;

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^r\d+ {2}\S+Z {2}feed\.live {2}v1 {2}set "now" {2}by local\n$/);
  });

  it('follows changes until interrupted, then says where to resume', async () => {
    const after = await newestRevision();
    const watch = startCli(['watch', '--after', after, '--wait', '2'], local);
    let stdout = '';
    watch.child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
    });

    await api.put('/config/feed.follow', { value: 1 });
    await eventually(() => stdout, 'feed.follow  v1');
    await api.put('/config/feed.follow', { value: 2 });
    await eventually(() => stdout, 'feed.follow  v2');
    watch.child.kill('SIGINT');
    const result = await watch.result;

    expect(result.code).toBe(130);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(Number(resumeIn(result.stderr))).toBe(Number(after) + 2);
  });

  it('starts at the first change at or after an instant with --since, and resumes with --after', async () => {
    const first = await runCli(['watch', '--json', '--count', '1', '--since', secondAt], local);
    const rest = await runCli(
      ['watch', '--json', '--count', '1', '--after', resumeIn(first.stderr)],
      local,
    );

    expect(first.code).toBe(0);
    expect(jsonLines(first.stdout)).toEqual([
      expect.objectContaining({ name: 'feed.b', version: 1, occurredAt: secondAt }),
    ]);
    expect(jsonLines(rest.stdout)).toEqual([
      expect.objectContaining({ name: 'feed.a', version: 2, type: 'ConfigValueDeleted' }),
    ]);
  });

  it('documents --since in its help', async () => {
    const result = await runCli(['watch', '--help']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/--since <timestamp> +Start at the first change at or after/);
    expect(result.stdout).toContain('config-ledger watch --since ');
  });

  it('exits 1 for --since with --after: one start point', async () => {
    const result = await runCli(['watch', '--since', secondAt, '--after', '2'], local);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--after, --since and --from-start all say where to start');
  });

  it('exits 1 for a --since the API does not read as an instant, like any input refused', async () => {
    const result = await runCli(['watch', '--since', 'yesterday'], local);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(HTTP 400 validation_error)');
  });

  it('exits 1 for an --after that is no revision', async () => {
    const result = await runCli(['watch', '--after', 'not-a-revision'], local);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "--after must be a whole number, 0 or more, not 'not-a-revision'",
    );
  });

  it('exits 2 for a revision the service has not reached: it was restored, or is another one', async () => {
    const result = await runCli(['watch', '--after', '999999', '--wait', '1'], local);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(HTTP 404 revision_not_found)');
  });
});
