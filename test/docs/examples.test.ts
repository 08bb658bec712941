import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

/**
 * Every shell example in the README and docs/ runs here, file by file, in order, against a fresh
 * local stack, as a reader pasting them would: so the docs cannot drift from the service again.
 * Lines `# …` right after a command are its expected output (`…` stands for anything); comments
 * that explain go above a command, after a blank line when an output precedes them. A block
 * right after `<!-- not run: why -->` is skipped.
 */

const root = join(import.meta.dirname, '../..');
const documents = [
  'README.md',
  ...listMarkdown(join(root, 'docs')).map((path) => relative(root, path)),
];

function listMarkdown(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return listMarkdown(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

interface Block {
  readonly line: number;
  readonly script: string;
  /** The output lines the block shows, joined; empty when it shows none. */
  readonly expected: string[];
}

/** The document's runnable ```sh blocks, in order. */
function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]?.trim() !== '```sh') continue;
    const skipped =
      /<!-- not run/.test(lines[index - 1] ?? '') || /<!-- not run/.test(lines[index - 2] ?? '');
    const body: string[] = [];
    const start = index + 1;
    for (index++; index < lines.length && lines[index]?.trim() !== '```'; index++) {
      body.push(lines[index] ?? '');
    }
    if (!skipped) blocks.push({ line: start, script: body.join('\n'), expected: outputsOf(body) });
  }
  return blocks;
}

/** Groups of `# ` lines that follow a command (not those that precede one). */
function outputsOf(body: readonly string[]): string[] {
  const outputs: string[] = [];
  let current: string[] = [];
  let afterCommand = false;
  for (const line of body) {
    if (line.startsWith('#') && afterCommand) {
      current.push(line.replace(/^# ?/, ''));
      continue;
    }
    if (current.length > 0) outputs.push(current.join(''));
    current = [];
    // A command's last line (not a continued one); a blank line or a comment ends an output.
    afterCommand = line.trim() !== '' && !line.startsWith('#') && !line.trimEnd().endsWith('\\');
  }
  if (current.length > 0) outputs.push(current.join(''));
  return outputs;
}

/** An expected output as a pattern over the actual one, white space aside, `…` for anything. */
function matches(actual: string, expected: string): boolean {
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const pattern = squeeze(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  return new RegExp(pattern, 's').test(squeeze(actual));
}

function runBash(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A folder holding a `config-ledger` command that runs this repository's CLI. */
async function cliOnPath(): Promise<string> {
  const folder = await scratchDir('docs-bin');
  const command = join(folder, 'config-ledger');
  await writeFile(command, `#!/bin/sh\nexec node ${join(root, 'infra/cli/bin.js')} "$@"\n`);
  await chmod(command, 0o755);
  return folder;
}

describe.each(documents)('Docs: the shell examples of %s', (document) => {
  const blocks = shellBlocks(readFileSync(join(root, document), 'utf8'));
  let stack: LocalStackProcess;
  // In memory the stack writes change events only where told: the examples read them there.
  let changeEventsFile = '';

  beforeAll(async () => {
    if (blocks.length > 0) {
      changeEventsFile = join(await scratchDir('docs-events'), 'change-events.jsonl');
      stack = await startLocalStackProcess({
        DATA_DIR: ':memory:',
        CHANGE_EVENTS_FILE: changeEventsFile,
        POWERTOOLS_LOG_LEVEL: 'WARN',
      });
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it.runIf(blocks.length > 0)(
    'run in order and print what the page shows',
    async () => {
      const address = new URL(stack.url).host;
      const pushAddress = new URL(stack.pushUrl).host;
      const marker = (index: number) => `@@example ${index}@@`;
      const script = blocks
        .map(
          (block, index) =>
            `echo '${marker(index)}'\n${block.script.replaceAll('localhost:4000', address).replaceAll('localhost:4001', pushAddress)}`,
        )
        .join('\n');
      const result = await runBash(script, {
        ...process.env,
        // `config-ledger` as after `npm link`: the built CLI of this repository.
        PATH: `${await cliOnPath()}:${process.env.PATH}`,
        CONFIG_LEDGER_URL: stack.url,
        CHANGE_EVENTS_FILE: changeEventsFile,
        NO_COLOR: '1',
      });
      const outputs = result.stdout.split(/@@example \d+@@\n/).slice(1);
      for (const [index, block] of blocks.entries()) {
        const where = `${document}:${block.line}`;
        expect(outputs[index], `${where} never ran: ${result.stderr}`).toBeDefined();
        const expected = block.expected.join('…');
        expect(
          matches(outputs[index] ?? '', expected),
          `${where} printed:\n${outputs[index]}\nnot, in this order:\n${block.expected.join('\n')}`,
        ).toBe(true);
      }
      expect(result.code, result.stderr).toBe(0);
    },
    120_000,
  );
});
