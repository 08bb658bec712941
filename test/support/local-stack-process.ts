import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll } from 'vitest';
import { tableDefinitions } from '#store/tables.ts';
import { apiClient } from './http.ts';
import { scratchDir } from './scratch.ts';

export interface LocalStackProcess {
  readonly url: string;
  /** The push's publish endpoint (AppSync Events' protocol); subscribe at `/event/realtime`. */
  readonly pushUrl: string;
  readonly child: ChildProcess;
  readonly output: string[];
  /** Graceful stop (SIGTERM), as Ctrl-C would. */
  stop(): Promise<number | null>;
  /** kill -9: no chance to flush or clean up. */
  crash(): Promise<void>;
}

export interface ProcessResult {
  readonly code: number | null;
  readonly output: string[];
}

/**
 * Environment for a local stack: nothing from the test process's own engine leaks in. Writes are
 * not synced to disk (SYNC_WRITES=false) unless a test asks: each sync costs milliseconds, and
 * what tests can do to a process (kill -9) never loses what is in the page cache. With
 * DYNAMODB_ENDPOINT (one engine for every stack of the run), each data folder gets tables of its
 * own, the same ones when a stack restarts on it.
 */
export function localStackEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    PUSH_PORT: '0',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    SYNC_WRITES: 'false',
  };
  const tableVariables = tableDefinitions.map((table) => table.tableNameVariable);
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', ...tableVariables]) {
    delete env[name];
  }
  const sharedEngine = env.DYNAMODB_ENDPOINT ? tableNamesFor(extra.DATA_DIR ?? '') : {};
  return { ...env, ...sharedEngine, ...extra };
}

function tableNamesFor(dataDir: string): Record<string, string> {
  // A stack in memory has nothing to find again on a restart.
  const seed = dataDir && dataDir !== ':memory:' ? dataDir : randomUUID();
  const suffix = createHash('sha256').update(seed).digest('hex').slice(0, 10);
  return Object.fromEntries(
    tableDefinitions.map((table) => [
      table.tableNameVariable,
      `${table.defaultTableName}-${suffix}`,
    ]),
  );
}

function spawnStack(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => output.push(line));
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output, exited };
}

/** Runs `npm start`'s entry point as a child process and waits until it serves. */
export async function startLocalStackProcess(
  env: Record<string, string>,
): Promise<LocalStackProcess> {
  const { child, output, exited } = spawnStack(localStackEnv(env));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const giveUp = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Local stack did not start in 30 s:\n${output.join('\n')}`));
    }, 30_000);
    const timer = setInterval(() => {
      const ready = output.map(parseLine).find((line) => typeof line?.url === 'string');
      if (ready) {
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve(ready);
      }
    }, 20);
    exited.then((code) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      reject(new Error(`Local stack exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return {
    url: String(ready.url),
    pushUrl: String(ready.pushUrl),
    child,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the local stack expecting it to fail at start, and returns how. */
export async function runLocalStackExpectingExit(
  env: Record<string, string>,
): Promise<ProcessResult> {
  const { child, output, exited } = spawnStack(localStackEnv(env));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timeout);
  return { code, output };
}

/** The messages the local stack logged at ERROR level, in order. */
export function errorMessages(output: string[]): string[] {
  return output.flatMap((line) => {
    const parsed = parseLine(line);
    return parsed?.level === 'ERROR' ? [String(parsed.message)] : [];
  });
}

export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * A local stack for one test file: started (on a fresh DATA_DIR) before its tests, stopped after.
 * The client and URL are usable from inside the tests.
 */
export function useLocalStack(env: Record<string, string> = {}) {
  let stack: LocalStackProcess | undefined;
  const url = () => {
    if (!stack) throw new Error('The local stack is not started yet.');
    return stack.url;
  };
  beforeAll(async () => {
    stack = await startLocalStackProcess({
      DATA_DIR: await scratchDir('local-stack'),
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...env,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const pushUrl = () => {
    if (!stack) throw new Error('The local stack is not started yet.');
    return stack.pushUrl;
  };
  return { url, pushUrl, api: apiClient(url) };
}

/**
 * Local stacks a test stops and starts again (on the same DATA_DIR and PORT, to restart "the
 * service"): whatever the file left running is stopped after it, whatever happened.
 */
export function useRestartableStacks() {
  const running = new Set<LocalStackProcess>();
  const stop = async (stack: LocalStackProcess): Promise<number | null> => {
    running.delete(stack);
    return stack.stop();
  };
  afterAll(async () => {
    await Promise.all([...running].map(stop));
  });
  return {
    start: async (env: Record<string, string>): Promise<LocalStackProcess> => {
      const stack = await startLocalStackProcess({ ...env, POWERTOOLS_LOG_LEVEL: 'WARN' });
      running.add(stack);
      return stack;
    },
    stop,
  };
}
