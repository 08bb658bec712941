import { describe, expect, it } from 'vitest';
import { runCli, useCliStack } from './cli-process.ts';

const { api, local } = useCliStack();

const changeset = (operations: unknown[]) => JSON.stringify({ operations });

describe('CLI: apply', () => {
  it('applies a changeset from standard input at one revision, and prints each change', async () => {
    await api.call('PUT', '/config/apply.old', { rawBody: '{"value":1}' });

    const result = await runCli(['apply', '-', '--comment', 'release 42'], {
      ...local,
      stdin: changeset([
        { op: 'delete', name: 'apply.old' },
        { op: 'set', name: 'apply.new', value: 42 },
      ]),
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^NAME +CHANGE +VERSION\napply\.old +delete +2\napply\.new +set +1\n/,
    );
    expect(result.stdout).toMatch(/Applied 2 changes at revision \d+\.\n$/);
    const history = await api.get('/config/apply.new/history');
    expect(history.body.events[0]).toMatchObject({ comment: 'release 42' });
  });

  it('checks without writing on --dry-run', async () => {
    const result = await runCli(['apply', '-', '--dry-run'], {
      ...local,
      stdin: changeset([{ op: 'set', name: 'apply.dry', value: true }]),
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Dry run, nothing written: all 1 operations hold at revision/);
    expect((await api.get('/config/apply.dry')).status).toBe(404);
  });

  it('exits 3 and names each failing operation when any does not hold; nothing is written', async () => {
    const result = await runCli(['apply', '-'], {
      ...local,
      stdin: changeset([
        { op: 'set', name: 'apply.first', value: 1 },
        { op: 'delete', name: 'apply.absent' },
      ]),
    });

    expect(result.code).toBe(3);
    expect(result.stderr).toContain("#1 No configuration entry named 'apply.absent'.");
    expect((await api.get('/config/apply.first')).status).toBe(404);
  });

  it('refuses a document that is not a changeset before sending it (exit 1)', async () => {
    const result = await runCli(['apply', '-'], { ...local, stdin: '[1, 2]' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The changeset must be a JSON object');
  });
});
