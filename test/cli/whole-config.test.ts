import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useCliStack } from './cli-process.ts';

const { api, local } = useCliStack();
/** After the first round of writes, and after the second. */
let first: string;
let second: string;

beforeAll(async () => {
  await api.call('PUT', '/config/whole.kept', { rawBody: '{"value":12345678901234567890}' });
  await api.put('/config/whole.changed', { value: 1 });
  await api.put('/config/whole.removed', { value: 'x' });
  first = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await api.put('/config/whole.changed', { value: 2 });
  await api.delete('/config/whole.removed');
  await api.put('/config/whole.added', { value: true });
  second = new Date().toISOString();
});

describe('CLI: list --at', () => {
  it('lists every entry as it was at an instant', async () => {
    const result = await runCli(['list', '--at', first, '--prefix', 'whole.'], local);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^As at \S+:\n$/);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +VERSION +UPDATED +BY +VALUE$/),
      expect.stringMatching(/^whole\.changed +1 +\S+ +local +1$/),
      expect.stringMatching(/^whole\.kept +1 +\S+ +local +12345678901234567890$/),
      expect.stringMatching(/^whole\.removed +1 +\S+ +local +"x"$/),
    ]);
  });

  it('prints the raw page with --json, and nothing before the first event', async () => {
    const json = await runCli(['list', '--at', first, '--prefix', 'whole.k', '--json'], local);
    const before = await runCli(['list', '--at', '2000-01-01T00:00:00Z'], local);

    expect(json.stdout).toContain('"value":12345678901234567890');
    expect(JSON.parse(json.stdout)).toMatchObject({
      at: expect.any(String),
      items: [{ version: 1 }],
    });
    expect(before.stdout).toBe('No entries.\n');
  });
});

describe('CLI: diff of the whole configuration', () => {
  it('lists the entries created, updated and deleted between two instants', async () => {
    const result = await runCli(['diff', '--from', first, '--to', second], local);

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +CHANGE +FROM +TO$/),
      expect.stringMatching(/^whole\.added +created +- +1$/),
      expect.stringMatching(/^whole\.changed +updated +1 +2$/),
      expect.stringMatching(/^whole\.removed +deleted +1 +-$/),
    ]);
  });

  it('narrows to a prefix, prints the raw diff with --json, and says when nothing changed', async () => {
    const prefixed = await runCli(
      ['diff', '--from', first, '--to', second, '--prefix', 'whole.add', '--json'],
      local,
    );
    const none = await runCli(
      ['diff', '--from', '2000-01-01T00:00:00Z', '--to', '2000-01-02T00:00:00Z'],
      local,
    );
    const untilNow = await runCli(['diff', '--from', second, '--prefix', 'whole.'], local);

    expect(JSON.parse(prefixed.stdout)).toMatchObject({
      changes: [{ name: 'whole.added', change: 'created' }],
    });
    expect(none.stdout).toMatch(/^No changes from \S+ to \S+\.\n$/);
    expect(untilNow).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No changes from /) });
  });
});
