// The local stack's data folder: the engine's files, and who runs on them.
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from './config.ts';

/** Written in DATA_DIR while a local stack runs: its URLs and process id. */
export const endpointsFile = 'local-stack.json';

export async function assertWritable(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigurationError(
      `DATA_DIR ${dataDir} is not a writable folder (${reason}). Set DATA_DIR to one that is.`,
    );
  }
}

/** The engine's files take one process at a time; a second one would crash on the lock. */
export async function assertNotInUse(dataDir: string): Promise<void> {
  const owner = await readFile(join(dataDir, endpointsFile), 'utf8')
    .then((text) => JSON.parse(text) as { pid?: number; url?: string })
    .catch(() => undefined);
  if (owner?.pid && owner.pid !== process.pid && isAlive(owner.pid)) {
    throw new ConfigurationError(
      `DATA_DIR ${dataDir} is in use by another local stack (pid ${owner.pid}, ${owner.url}). Stop it or set DATA_DIR to another folder.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lets `npm run rebuild` find the running engine instead of opening its (locked) files. */
export async function recordEndpoints(dataDir: string, url: string, engineEndpoint: string) {
  await writeFile(
    join(dataDir, endpointsFile),
    `${JSON.stringify({ url, engineEndpoint, pid: process.pid }, null, 2)}\n`,
  );
}
