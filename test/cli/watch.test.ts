import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli, startCli, useCliStack } from './cli-process.ts';

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

const cursorIn = (stderr: string) => /Resume with --after (\S+)/.exec(stderr)?.[1] ?? '';

/** Reads the end of the feed: the cursor after every change so far. */
async function endCursor(): Promise<string> {
  let cursor: string | undefined;
  for (;;) {
    const query = cursor === undefined ? '' : `?after=${encodeURIComponent(cursor)}`;
    const page = await api.get(`/changes${query}`);
    expect(page.status).toBe(200);
    if (page.body.changes.length === 0) return page.body.cursor;
    cursor = page.body.cursor;
  }
}

/** Resolves once `read()` contains `text`, polling for up to 10 s. */
async function eventually(read: () => string, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`'${text}' never appeared in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('CLI: watch', () => {
  it('prints the changes from the start of the feed, then the cursor to resume from', async () => {
    const result = await runCli(['watch', '--count', '3'], local);

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\S+Z {2}feed\.a {2}v1 {2}set 12345678901234567890 {2}by local$/),
      expect.stringMatching(/^\S+Z {2}feed\.b {2}v1 {2}set \{"on":true\} {2}by local {2}# why$/),
      expect.stringMatching(/^\S+Z {2}feed\.a {2}v2 {2}deleted {2}by local$/),
    ]);
    expect(result.stderr).toMatch(/^Watching http:\/\/127\.0\.0\.1:\d+ for changes/);
    expect(cursorIn(result.stderr)).not.toBe('');
  });

  it('prints one JSON change per line with --json, values exact, and resumes with --after', async () => {
    const first = await runCli(['watch', '--json', '--count', '1'], local);
    const rest = await runCli(
      ['watch', '--json', '--count', '2', '--after', cursorIn(first.stderr)],
      local,
    );

    expect(first.stdout).toMatch(/^\{"name":"feed\.a","version":1,.*"value":12345678901234567890/);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(jsonLines(rest.stdout)).toEqual([
      expect.objectContaining({ name: 'feed.b', version: 1, comment: 'why' }),
      expect.objectContaining({ name: 'feed.a', version: 2, type: 'ConfigValueDeleted' }),
    ]);
  });

  it('waits for the next change (long poll) and prints it as it happens', async () => {
    const after = await endCursor();
    const watch = startCli(['watch', '--count', '1', '--after', after], local);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await api.put('/config/feed.live', { value: 'now' });
    const result = await watch.result;

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\S+Z {2}feed\.live {2}v1 {2}set "now" {2}by local\n$/);
  });

  it('follows changes until interrupted', async () => {
    const watch = startCli(['watch', '--after', await endCursor(), '--wait', '2'], local);
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

    expect(result.code).toBeNull();
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('starts at the first change at or after an instant with --since, and resumes with --after', async () => {
    const first = await runCli(['watch', '--json', '--count', '1', '--since', secondAt], local);
    const rest = await runCli(
      ['watch', '--json', '--count', '1', '--after', cursorIn(first.stderr)],
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
    const result = await runCli(['watch', '--since', secondAt, '--after', 'x'], local);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--since and --after both say where to start');
  });

  it('exits 4 for a --since the API does not read as an instant', async () => {
    const result = await runCli(['watch', '--since', 'yesterday'], local);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain('(HTTP 400 validation_error)');
  });

  it('exits 4 for a cursor the API does not recognize', async () => {
    const result = await runCli(['watch', '--after', 'not-a-cursor'], local);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain('(HTTP 400 validation_error)');
  });
});
