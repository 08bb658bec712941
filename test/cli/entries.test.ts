import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '#test/scratch.ts';
import { runCli, useCliStack } from './cli-process.ts';

const { url, local } = useCliStack();

const exactValue =
  '{"big":12345678901234567890,"one":1.0,"neg":-0,"huge":1e400,"text":"héllo 😀","empty":{},"list":[]}';

describe('CLI: set and get', () => {
  it('creates, updates and reads an entry, in human output', async () => {
    const created = await runCli(['set', 'cli.basic', '{"enabled": true}'], local);
    const updated = await runCli(['set', 'cli.basic', '{"enabled": false}'], local);
    const read = await runCli(['get', 'cli.basic', '--consistent'], local);

    expect(created).toEqual({ code: 0, stdout: 'Created cli.basic: version 1\n', stderr: '' });
    expect(updated).toEqual({ code: 0, stdout: 'Updated cli.basic: version 2\n', stderr: '' });
    expect(read.code).toBe(0);
    expect(read.stderr).toBe('');
    expect(read.stdout).toMatch(
      /^cli\.basic {2}version 2 {2}updated \d{4}-\d\d-\d\dT[\d:.]+Z by local\n\{\n {2}"enabled": false\n\}\n$/,
    );
  });

  it('keeps values exact both ways: big numbers, 1.0, -0, 1e400, unicode', async () => {
    const written = await runCli(['set', 'cli.exact', exactValue, '--json'], local);
    const json = await runCli(['get', 'cli.exact', '--consistent', '--json'], local);
    const human = await runCli(['get', 'cli.exact', '--consistent'], local);

    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`"value":${exactValue},"version":1`);
    expect(json.stdout).toContain(`"value":${exactValue}`);
    expect(json.stdout.endsWith('}\n')).toBe(true);
    for (const text of ['12345678901234567890', '"one": 1.0', '-0', '1e400', 'héllo 😀']) {
      expect(human.stdout).toContain(text);
    }
  });

  it('prints the value alone with --value: one line of JSON, numbers exact, strings quoted', async () => {
    await runCli(['set', 'cli.value', exactValue], local);
    await runCli(['set', 'cli.region', '"eu-west-1"'], local);

    const exact = await runCli(['get', 'cli.value', '--consistent', '--value'], local);
    const text = await runCli(['get', 'cli.region', '--consistent', '--value'], local);
    const absent = await runCli(['get', 'cli.nothing', '--value'], local);

    expect(exact).toEqual({ code: 0, stdout: `${exactValue}\n`, stderr: '' });
    expect(text).toEqual({ code: 0, stdout: '"eu-west-1"\n', stderr: '' });
    expect(absent).toMatchObject({ code: 2, stdout: '' });
  });

  it.each([
    [
      ['set', 'cli.word', 'on'],
      {},
      `The value 'on' is not JSON. To store the string, quote it: '"on"'.`,
    ],
    [
      ['set', 'cli.word', '-'],
      { stdin: 'eu-west-1\n' },
      `The value 'eu-west-1' is not JSON. To store the string, write it in double quotes: "eu-west-1".`,
    ],
  ])('refuses a bare word with the way to store it as a string: %j', async (args, run, message) => {
    const result = await runCli(args, { ...local, ...run });

    expect(result).toEqual({ code: 1, stdout: '', stderr: `config-ledger: ${message}\n` });
  });

  it('reads the value from standard input with -', async () => {
    const written = await runCli(['set', 'cli.stdin', '-'], { ...local, stdin: '[1.0, 2]\n' });
    const read = await runCli(['get', 'cli.stdin', '--consistent', '--json'], local);

    expect(written).toMatchObject({ code: 0, stdout: 'Created cli.stdin: version 1\n' });
    expect(read.stdout).toContain('"value":[1.0,2]');
  });

  it('reads the value from a file with --file', async () => {
    const file = join(await scratchDir('cli'), 'value.json');
    await writeFile(file, '{"pool": {"max": 20}}');

    const written = await runCli(['set', 'cli.file', '--file', file], local);
    const read = await runCli(['get', 'cli.file', '--consistent', '--json'], local);

    expect(written.code).toBe(0);
    expect(read.stdout).toContain('"value":{"pool":{"max":20}}');
  });

  it('takes a value starting with a dash after --', async () => {
    const written = await runCli(['set', 'cli.negative', '--', '-5'], local);

    expect(written).toMatchObject({ code: 0, stdout: 'Created cli.negative: version 1\n' });
  });

  it('records --comment in the history', async () => {
    await runCli(['set', 'svc:cli:comment', '1', '--comment', 'p99 is 1.8 s'], local);

    const history = await runCli(['history', 'svc:cli:comment'], local);

    expect(history.stdout).toMatch(/^1 +\d+ +set +\S+ +local +1 +p99 is 1\.8 s$/m);
  });

  it('applies a write once per --idempotency-key, and says when it replays', async () => {
    const args = ['set', 'cli.idempotent', '3', '--idempotency-key', 'cli-key-1'];

    const first = await runCli(args, local);
    const retry = await runCli(args, local);

    expect(first.stdout).toBe('Created cli.idempotent: version 1\n');
    expect(retry.stdout).toBe(
      'Created cli.idempotent: version 1 (replayed: this Idempotency-Key was already applied)\n',
    );
  });

  it('exits 3 when --expected-version does not hold, with the API error on stderr', async () => {
    await runCli(['set', 'cli.conflict', '1'], local);

    const human = await runCli(['set', 'cli.conflict', '2', '--expected-version', '5'], local);
    const json = await runCli(
      ['set', 'cli.conflict', '2', '--expected-version', '5', '--json'],
      local,
    );

    expect(human.code).toBe(3);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^config-ledger: .+ \(HTTP 409 version_conflict\)\n$/);
    expect(json.code).toBe(3);
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr)).toMatchObject({
      error: 'version_conflict',
      details: { currentVersion: 1 },
    });
  });

  it('exits 1 for a value that is not JSON, and writes nothing', async () => {
    const written = await runCli(['set', 'cli.bad-json', '{enabled: true}'], local);
    const read = await runCli(['get', 'cli.bad-json', '--consistent'], local);

    expect(written.code).toBe(1);
    expect(written.stdout).toBe('');
    expect(written.stderr).toMatch(/^config-ledger: The value is not valid JSON: .+\n$/);
    expect(read.code).toBe(2);
  });

  it('exits 1 for a missing value, or a value given twice', async () => {
    const missing = await runCli(['set', 'cli.no-value'], local);
    const twice = await runCli(['set', 'cli.no-value', '1', '--file', 'x.json'], local);
    const noFile = await runCli(['set', 'cli.no-value', '--file', '/nonexistent/x.json'], local);

    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('Missing <value>');
    expect(twice).toMatchObject({ code: 1, stdout: '' });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain("Cannot read '/nonexistent/x.json': ENOENT");
  });

  it('exits 2 for an entry that does not exist', async () => {
    const human = await runCli(['get', 'cli.never'], local);
    const json = await runCli(['get', 'cli.never', '--json'], local);

    expect(human).toMatchObject({ code: 2, stdout: '' });
    expect(human.stderr).toMatch(/^config-ledger: .+ \(HTTP 404 not_found\)\n$/);
    expect(json).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(json.stderr)).toMatchObject({ error: 'not_found' });
  });

  it('exits 1 for a name the API refuses, as for any input refused', async () => {
    const result = await runCli(['get', 'not a name!'], local);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(HTTP 400 validation_error)');
  });

  it('talks to the API given by --url as well as by CONFIG_LEDGER_URL', async () => {
    await runCli(['set', 'cli.url', '7'], local);

    const result = await runCli(['get', 'cli.url', '--consistent', '--url', url()]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli.url  version 1');
  });
});

describe('CLI: delete', () => {
  it('deletes, then exits 2 for the deleted entry and a second delete', async () => {
    await runCli(['set', 'cli.delete', '1'], local);

    const deleted = await runCli(['delete', 'cli.delete', '--comment', 'done'], local);
    const read = await runCli(['get', 'cli.delete', '--consistent'], local);
    const again = await runCli(['delete', 'cli.delete'], local);

    expect(deleted).toEqual({ code: 0, stdout: 'Deleted cli.delete: version 2\n', stderr: '' });
    expect(read.code).toBe(2);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('(HTTP 404 not_found)');
  });

  it('exits 3 when --expected-version does not hold, and prints the raw response with --json', async () => {
    await runCli(['set', 'cli.delete-conflict', '1'], local);

    const conflict = await runCli(
      ['delete', 'cli.delete-conflict', '--expected-version', '2'],
      local,
    );
    const deleted = await runCli(
      ['delete', 'cli.delete-conflict', '--expected-version', '1', '--json'],
      local,
    );

    expect(conflict.code).toBe(3);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({
      name: 'cli.delete-conflict',
      version: 2,
      revision: expect.any(Number),
      deleted: true,
    });
  });
});
