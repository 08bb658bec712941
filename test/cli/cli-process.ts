import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { apiClient } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun {
  /** Sent as CONFIG_LEDGER_URL; tests of --url pass it as an argument instead. */
  readonly url?: string;
  readonly stdin?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The executable as npm links it: the bin shim, run by this Node. */
const bin = 'infra/cli/bin.js';

/**
 * The environment of a user's shell: nothing from the test process's AWS settings or an outer
 * CONFIG_LEDGER_URL leaks in.
 */
function cliEnv(run: CliRun): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_') && !name.startsWith('CONFIG_LEDGER_'),
    ),
  );
  return { ...env, ...(run.url ? { CONFIG_LEDGER_URL: run.url } : {}), ...run.env };
}

/** Runs `config-ledger <args>` as a child process, as a shell would, until it exits. */
export function runCli(args: readonly string[], run: CliRun = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: cliEnv(run),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, run.stdin);
}

/**
 * Runs `config-ledger <args>` in a terminal, as a person at a keyboard would: util-linux's
 * `script` gives it a pseudo-terminal for stdout and stderr, and returns all it showed there,
 * control sequences included. Not in CI as far as the CLI can tell (CI unset), TERM a colour
 * terminal's unless `run.env` says otherwise.
 */
export function runCliInTerminal(args: readonly string[], run: CliRun = {}): Promise<CliResult> {
  const { CI: _, ...outside } = cliEnv({ ...run, env: {} });
  const env = { ...outside, TERM: 'xterm-256color', ...run.env };
  const command = [process.execPath, bin, ...args].map(shellQuoted).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, run.stdin);
}

function shellQuoted(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Starts `config-ledger <args>` and returns it running, for commands that follow (watch). */
export function startCli(args: readonly string[], run: CliRun = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: cliEnv(run),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, result: collect(child, run.stdin) };
}

function collect(child: ReturnType<typeof spawn>, stdin: string | undefined): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A local stack in memory for one test file: started
 * before its tests, stopped after (and it must stop cleanly). `local` runs the CLI against it.
 */
export function useCliStack() {
  let stack: LocalStackProcess | undefined;
  const url = () => {
    if (!stack) throw new Error('The local stack is not started yet.');
    return stack.url;
  };
  beforeAll(async () => {
    stack = await startLocalStackProcess({ DATA_DIR: ':memory:' });
  });
  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });
  const local: CliRun = {
    get url() {
      return url();
    },
  };
  return { url, api: apiClient(url), local };
}

/** A loopback port nothing listens on: requests to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No port.');
  return address.port;
}

/** The JSON lines of an output, each parsed (for checks that do not involve exact numbers). */
export function jsonLines(output: string): unknown[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** Resolves once `read()` contains `text`, polling for up to `timeoutMs`. */
export async function eventually(
  read: () => string,
  text: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`'${text}' never appeared in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
