import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '#test/scratch.ts';
import { runCli, useCliStack } from './cli-process.ts';
import { startStandInApi } from './stand-in-api.ts';

const { api, local } = useCliStack();
let dir: string;

beforeAll(async () => {
  dir = await scratchDir('cli');
  await api.call('PUT', '/config/exp.a', {
    rawBody: '{"value":{"big":12345678901234567890,"one":1.0}}',
  });
  await api.call('PUT', '/config/exp.b', { rawBody: '{"value":"b"}' });
  expect((await api.get('/health')).status).toBe(200);
});

/** An export document with the given entries, as `export` writes them. */
function document(entries: readonly { name: string; value: string }[]): string {
  const items = entries.map(
    ({ name, value }) =>
      `{"name":"${name}","value":${value},"version":1,"updatedAt":"2026-01-01T00:00:00.000Z"}`,
  );
  return `{"format":"config-ledger/v1","exportedAt":"2026-01-01T00:00:00.000Z","entries":[${items.join(',')}]}`;
}

describe('CLI: export', () => {
  it('writes the document to stdout, indented, values exact', async () => {
    const result = await runCli(['export', '--prefix', 'exp.'], local);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\{\n {2}"format": "config-ledger\/v1",\n/);
    expect(result.stdout).toContain('"big": 12345678901234567890');
    expect(result.stdout).toContain('"one": 1.0');
    expect(JSON.parse(result.stdout).entries.map((entry: { name: string }) => entry.name)).toEqual([
      'exp.a',
      'exp.b',
    ]);
  });

  it('writes the API response as is with --json, and to a file with --out', async () => {
    const file = join(dir, 'export.json');

    const json = await runCli(['export', '--prefix', 'exp.', '--json'], local);
    const toFile = await runCli(['export', '--prefix', 'exp.', '--out', file], local);

    expect(json.stdout).toMatch(/^\{"format":"config-ledger\/v1",/);
    expect(json.stdout).toContain('"value":{"big":12345678901234567890,"one":1.0}');
    expect(toFile).toEqual({ code: 0, stdout: `Exported 2 entries to ${file}\n`, stderr: '' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'config-ledger/v1' });
  });

  it('exports the configuration as it was at an instant, empty before anything existed', async () => {
    const before = await runCli(['export', '--at', '2000-01-01T00:00:00Z', '--json'], local);

    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ at: expect.any(String), entries: [] });
  });
});

describe('CLI: import', () => {
  it('shows what would change with --dry-run, and writes nothing', async () => {
    const file = join(dir, 'dry-run.json');
    await writeFile(
      file,
      document([
        { name: 'exp.a', value: '{"big":12345678901234567890,"one":1.0}' },
        { name: 'exp.b', value: '"changed"' },
        { name: 'imp.new', value: '1' },
      ]),
    );

    const result = await runCli(['import', file, '--dry-run'], local);
    const read = await runCli(['get', 'imp.new', '--consistent'], local);

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +CHANGE +FROM$/),
      expect.stringMatching(/^exp\.b +update +1$/),
      expect.stringMatching(/^imp\.new +create +-$/),
      'Dry run, nothing written: 1 to create, 1 to update, 1 unchanged.',
    ]);
    expect(read.code).toBe(2);
  });

  it('applies a document from standard input, with a comment, values exact', async () => {
    const input = document([
      { name: 'imp.exact', value: '[12345678901234567890, 1.0, -0]' },
      { name: 'imp.other', value: 'true' },
    ]);

    const result = await runCli(['import', '-', '--comment', 'copy staging'], {
      ...local,
      stdin: input,
    });
    const read = await runCli(['get', 'imp.exact', '--consistent', '--json'], local);
    const history = await runCli(['history', 'imp.exact'], local);

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +CHANGE +FROM +TO$/),
      expect.stringMatching(/^imp\.exact +create +- +1$/),
      expect.stringMatching(/^imp\.other +create +- +1$/),
      'Imported: 2 created, 0 updated, 0 unchanged.',
    ]);
    expect(read.stdout).toContain('"value":[12345678901234567890,1.0,-0]');
    expect(history.stdout).toMatch(/copy staging$/m);
  });

  it('round-trips: importing an export changes nothing', async () => {
    const file = join(dir, 'round-trip.json');
    await runCli(['export', '--prefix', 'exp.', '--out', file], local);

    const result = await runCli(['import', file, '--json'], local);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: false,
      changes: [
        expect.objectContaining({ name: 'exp.a', change: 'unchanged' }),
        expect.objectContaining({ name: 'exp.b', change: 'unchanged' }),
      ],
    });
  });

  it('exits 1 for a file that is not JSON, not an object, or refused by the API (one rule for bad input)', async () => {
    const notJson = join(dir, 'not-json.json');
    const notObject = join(dir, 'array.json');
    const badName = join(dir, 'bad-name.json');
    await writeFile(notJson, '{"format": ');
    await writeFile(notObject, '[]');
    await writeFile(
      badName,
      document([
        { name: 'not a name!', value: '1' },
        { name: 'imp.x', value: '1' },
      ]),
    );

    const results = await Promise.all(
      [notJson, notObject, badName].map((file) => runCli(['import', file], local)),
    );
    const read = await runCli(['get', 'imp.x', '--consistent'], local);

    expect(results.map((result) => result.code)).toEqual([1, 1, 1]);
    expect(results[0]?.stderr).toContain('The import document is not valid JSON');
    expect(results[2]?.stderr).toContain('(HTTP 400 validation_error)');
    expect(read.code).toBe(2);
  });
});

describe('CLI: import conflicts', () => {
  it('exits 3 and names the entries that changed meanwhile and were not overwritten', async () => {
    // A conflict needs a write racing the import; a stand-in API answers as the API then does.
    const standIn = await startStandInApi();
    standIn.answer(
      200,
      '{"dryRun":false,"changes":[{"name":"a","change":"update","fromVersion":1,"toVersion":2},{"name":"b","change":"conflict","fromVersion":3}]}',
    );

    const result = await runCli(['import', '-'], { url: standIn.url, stdin: document([]) });
    await standIn.close();

    expect(result.code).toBe(3);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +CHANGE +FROM +TO$/),
      expect.stringMatching(/^a +update +1 +2$/),
      expect.stringMatching(/^b +conflict +3 +-$/),
      'Imported: 0 created, 1 updated, 0 unchanged, 1 in conflict.',
    ]);
    expect(result.stderr).toContain(
      '1 entries changed while importing and were not overwritten: b.',
    );
  });
});
