import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '#test/scratch.ts';
import { runCli, runCliInTerminal, useCliStack } from './cli-process.ts';

const { local } = useCliStack();
let documentPath: string;

const hideCursor = '\u001b[?25l';
const showCursor = '\u001b[?25h';
const cyan = '\u001b[36m';

beforeAll(async () => {
  for (const name of ['progress.a', 'progress.b', 'progress.c']) {
    await runCli(['set', name, '1'], local);
  }
  const exported = await runCli(['export', '--prefix', 'progress.'], local);
  documentPath = join(await scratchDir('cli-progress'), 'export.json');
  await writeFile(documentPath, exported.stdout);
});

describe('CLI: progress of long work', () => {
  it('shows a spinner with what it does on a terminal, then clears it for the result', async () => {
    const result = await runCliInTerminal(['import', documentPath, '--dry-run'], local);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Checking 3 entries…');
    expect(result.stdout).toContain(cyan);
    // The cursor is hidden while it spins and given back before the result is printed.
    expect(result.stdout.indexOf(hideCursor)).toBeLessThan(result.stdout.indexOf(showCursor));
    expect(result.stdout.slice(result.stdout.lastIndexOf(showCursor))).toContain(
      'Dry run, nothing written: 0 to create, 0 to update, 3 unchanged.',
    );
  });

  it.each([
    [['export', '--prefix', 'progress.'], 'Exporting…'],
    [
      ['list', '--all', '--limit', '1', '--prefix', 'progress.'],
      'Listing entries: 2 so far, page 2…',
    ],
  ])('shows it for %j too', async (args, text) => {
    const result = await runCliInTerminal(args, local);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(text);
  });

  it('draws it without colour under NO_COLOR', async () => {
    const result = await runCliInTerminal(['import', documentPath, '--dry-run'], {
      ...local,
      env: { NO_COLOR: '1' },
    });

    expect(result.stdout).toContain('Checking 3 entries…');
    expect(result.stdout).not.toContain(cyan);
  });

  it.each([
    ['a pipe', runCli, {}],
    ['a dumb terminal', runCliInTerminal, { TERM: 'dumb' }],
    ['CI', runCliInTerminal, { CI: 'true' }],
  ])('shows nothing in %s: stderr keeps only notes and errors', async (_, run, env) => {
    const result = await run(['list', '--all', '--limit', '1', '--prefix', 'progress.'], {
      ...local,
      env,
    });

    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('Listing entries');
    expect(result.stdout + result.stderr).not.toContain(hideCursor);
  });
});
