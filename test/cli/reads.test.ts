import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useCliStack } from './cli-process.ts';

const { api, local } = useCliStack();

beforeAll(async () => {
  for (const [name, value] of [
    ['list.a', '1'],
    ['list.b', '{"big":12345678901234567890}'],
    ['list.c', '"three"'],
    ['other.x', 'true'],
  ] as const) {
    await api.call('PUT', `/config/${name}`, { rawBody: `{"value":${value}}` });
  }
  // The projection has caught up once the health check's heartbeat went through it.
  expect((await api.get('/health')).status).toBe(200);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CLI: list', () => {
  it('prints a table of the entries under a prefix', async () => {
    const result = await runCli(['list', '--prefix', 'list.'], local);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +VERSION +UPDATED +BY +VALUE$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^list\.a +1 +\S+Z +local +1$/),
      expect.stringMatching(/^list\.b +1 +\S+Z +local +\{"big":12345678901234567890\}$/),
      expect.stringMatching(/^list\.c +1 +\S+Z +local +"three"$/),
    ]);
  });

  it('pages with --limit and --next-token, telling how to continue on stderr', async () => {
    const first = await runCli(['list', '--prefix', 'list.', '--limit', '2'], local);
    const token = /--next-token (\S+)/.exec(first.stderr)?.[1] ?? '';
    const second = await runCli(
      ['list', '--prefix', 'list.', '--limit', '2', '--next-token', token],
      local,
    );

    expect(first.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(token).not.toBe('');
    expect(second.stdout).toMatch(/^list\.c /m);
    expect(second.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(second.stderr).toBe('');
  });

  it('follows every page to the end with --all, in one table and no token left', async () => {
    const result = await runCli(['list', '--prefix', 'list.', '--limit', '1', '--all'], local);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +VERSION +UPDATED +BY +VALUE$/),
      expect.stringMatching(/^list\.a +1 /),
      expect.stringMatching(/^list\.b +1 .+ \{"big":12345678901234567890\}$/),
      expect.stringMatching(/^list\.c +1 /),
    ]);
  });

  it('prints every page as one document with --all --json: every item, numbers exact, no token', async () => {
    const one = await runCli(['list', '--prefix', 'list.', '--json'], local);
    const paged = await runCli(
      ['list', '--prefix', 'list.', '--limit', '1', '--all', '--json'],
      local,
    );

    expect(paged).toMatchObject({ code: 0, stderr: '' });
    expect(paged.stdout).toBe(one.stdout.endsWith('\n') ? one.stdout : `${one.stdout}\n`);
    expect(paged.stdout).not.toContain('nextToken');
  });

  it('prints the raw page with --json, big numbers exact', async () => {
    const result = await runCli(['list', '--prefix', 'list.b', '--json'], local);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\{"revision":\d+,"items":\[\{"name":"list\.b","value":\{"big":12345678901234567890\}/,
    );
  });

  it('says so when nothing matches', async () => {
    const result = await runCli(['list', '--prefix', 'nothing.here.'], local);

    expect(result).toEqual({ code: 0, stdout: 'No entries.\n', stderr: '' });
  });

  it('exits 1 for a --limit that is not a number, without calling the API', async () => {
    const result = await runCli(['list', '--limit', 'ten'], { url: 'http://127.0.0.1:1' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--limit must be a whole number, 1 or more, not 'ten'");
  });
});

describe('CLI: history', () => {
  it('prints every version, deletions included, oldest first', async () => {
    await runCli(['set', 'hist.a', '1', '--comment', 'first'], local);
    await runCli(['set', 'hist.a', '2'], local);
    await runCli(['delete', 'hist.a', '--comment', 'gone'], local);

    const result = await runCli(['history', 'hist.a'], local);

    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERSION +REVISION +CHANGE +WHEN +BY +VALUE +COMMENT$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^1 +\d+ +set +\S+Z +local +1 +first$/),
      expect.stringMatching(/^2 +\d+ +set +\S+Z +local +2$/),
      expect.stringMatching(/^3 +\d+ +deleted +\S+Z +local +- +gone$/),
    ]);
  });

  it('prints the raw history with --json', async () => {
    const result = await runCli(['history', 'list.b', '--json'], local);

    expect(result.stdout).toContain('"value":{"big":12345678901234567890}');
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'list.b', events: [{ version: 1 }] });
  });

  it('exits 2 for a name that never existed', async () => {
    const result = await runCli(['history', 'hist.never'], local);

    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('(HTTP 404 not_found)');
  });
});

describe('CLI: at', () => {
  it('reads the value an entry had at an instant', async () => {
    const first = await runCli(['set', 'at.a', '"old"', '--json'], local);
    const firstAt = JSON.parse(first.stdout).updatedAt as string;
    await sleep(5);
    await runCli(['set', 'at.a', '"new"'], local);

    const then = await runCli(['at', 'at.a', firstAt], local);
    const json = await runCli(['at', 'at.a', firstAt, '--json'], local);
    const value = await runCli(['at', 'at.a', firstAt, '--value'], local);

    expect(then.code).toBe(0);
    expect(then.stdout).toBe(`at.a  version 1  updated ${firstAt} by local\n"old"\n`);
    expect(JSON.parse(json.stdout)).toMatchObject({ value: 'old', version: 1 });
    expect(value).toEqual({ code: 0, stdout: '"old"\n', stderr: '' });
  });

  it('takes a timestamp with an offset (a + in the path)', async () => {
    await runCli(['set', 'at.offset', '1'], local);

    const result = await runCli(['at', 'at.offset', '2999-01-01T01:00:00.000+01:00'], local);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^at\.offset {2}version 1 /);
  });

  it('exits 2 before the first event, and 1 for a timestamp the API refuses as for none', async () => {
    await runCli(['set', 'at.late', '1'], local);

    const before = await runCli(['at', 'at.late', '2000-01-01T00:00:00Z'], local);
    const malformed = await runCli(['at', 'at.late', 'yesterday'], local);
    const missing = await runCli(['at', 'at.late'], local);

    expect(before.code).toBe(2);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('(HTTP 400 validation_error)');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Missing <timestamp>');
  });
});
