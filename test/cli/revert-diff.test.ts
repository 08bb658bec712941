import { describe, expect, it } from 'vitest';
import { runCli, useCliStack } from './cli-process.ts';

const { api, local } = useCliStack();

/** Writes each value in turn through the API (JSON text, or null to delete); returns when. */
async function writeHistory(name: string, values: readonly (string | null)[]): Promise<string[]> {
  const times: string[] = [];
  for (const value of values) {
    const response =
      value === null
        ? await api.delete(`/config/${name}`)
        : await api.call('PUT', `/config/${name}`, { rawBody: `{"value":${value}}` });
    expect(response.status).toBeLessThan(300);
    times.push(new Date().toISOString());
  }
  return times;
}

describe('CLI: revert', () => {
  it("restores an earlier version's value as a new version", async () => {
    await writeHistory('rev.value', [
      '{"rollout":0.25,"big":12345678901234567890}',
      '{"rollout":1}',
    ]);

    const result = await runCli(['revert', 'rev.value', '1', '--comment', 'too fast'], local);
    const history = await runCli(['history', 'rev.value'], local);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Reverted rev.value to version 1: now version 3\n{\n  "rollout": 0.25,\n  "big": 12345678901234567890\n}\n',
    );
    expect(history.stdout).toMatch(
      /^3 +\d+ +revert to 1 +\S+ +local +\{"rollout":0\.25,.+\} +too fast$/m,
    );
  });

  it('deletes the entry when the version restored was a deletion', async () => {
    await writeHistory('rev.deleted', ['1', null, '2']);

    const result = await runCli(['revert', 'rev.deleted', '2'], local);
    const read = await runCli(['get', 'rev.deleted', '--consistent'], local);

    expect(result).toEqual({
      code: 0,
      stdout: 'Reverted rev.deleted to version 2 (a deletion): deleted, version 4\n',
      stderr: '',
    });
    expect(read.code).toBe(2);
  });

  it('prints the raw response with --json', async () => {
    await writeHistory('rev.json', ['1.0', '2']);

    const result = await runCli(['revert', 'rev.json', '1', '--json'], local);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\{"name":"rev\.json","value":1\.0,"version":3,/);
  });

  it('exits 3 when --expected-version does not hold', async () => {
    await writeHistory('rev.conflict', ['1', '2']);

    const result = await runCli(['revert', 'rev.conflict', '1', '--expected-version', '1'], local);

    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain('(HTTP 409 version_conflict)');
  });

  it('exits 2 for a version or a name that does not exist', async () => {
    await writeHistory('rev.missing', ['1']);

    const noVersion = await runCli(['revert', 'rev.missing', '7'], local);
    const noName = await runCli(['revert', 'rev.never', '1'], local);

    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toContain('no version 7');
    expect(noName.code).toBe(2);
  });
});

describe('CLI: diff of one entry', () => {
  it('prints the JSON Patch between two versions, values exact', async () => {
    await writeHistory('diff.a', [
      '{"rollout":0.25,"beta":true}',
      '{"rollout":12345678901234567890,"regions":["eu"]}',
    ]);

    const result = await runCli(['diff', 'diff.a', '--from', '1', '--to', '2'], local);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [header, ...operations] = result.stdout.trimEnd().split('\n');
    expect(header).toBe('diff.a: version 1 → version 2');
    expect(operations.sort()).toEqual([
      '  add     /regions ["eu"]',
      '  remove  /beta',
      '  replace /rollout 12345678901234567890',
    ]);
  });

  it('compares from an instant to the current state, and prints the raw diff with --json', async () => {
    const [afterFirst = ''] = await writeHistory('diff.b', ['1', '2', '3']);

    const result = await runCli(['diff', 'diff.b', '--from', afterFirst, '--json'], local);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'diff.b',
      from: { version: 1, exists: true },
      to: { version: 3, exists: true },
      patch: [{ op: 'replace', path: '', value: 3 }],
    });
  });

  it('shows absent and deleted states, and no differences', async () => {
    await writeHistory('diff.c', ['1', null]);

    const deleted = await runCli(['diff', 'diff.c', '--from', '1'], local);
    const created = await runCli(['diff', 'diff.c', '--from', '0', '--to', '1'], local);
    const same = await runCli(['diff', 'diff.c', '--from', '1', '--to', '1'], local);

    expect(deleted.stdout).toBe('diff.c: version 1 → deleted (version 2)\n  remove  ""\n');
    expect(created.stdout).toBe('diff.c: absent → version 1\n  add     "" 1\n');
    expect(same.stdout).toBe('diff.c: version 1 → version 1\nNo differences.\n');
  });

  it('exits 2 for a name that never existed, 1 for a --from the API refuses', async () => {
    await writeHistory('diff.d', ['1']);

    const never = await runCli(['diff', 'diff.never', '--from', '1'], local);
    const malformed = await runCli(['diff', 'diff.d', '--from', 'last week'], local);

    expect(never.code).toBe(2);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('(HTTP 400 validation_error)');
  });
});
