// The local stack's data folder: the engine's files, and who runs on them.
import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from './config.ts';

/**
 * Written in DATA_DIR once a local stack serves: its URLs and process id, for tools and for the
 * "in use" message. Who holds the folder is decided by the lock (instance-lock.ts), not by this.
 */
export const endpointsFile = 'local-stack.json';

/** Where the engine keeps its LevelDB files inside DATA_DIR. */
export function engineDirectory(dataDir: string): string {
  return join(dataDir, 'dynamodb');
}

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

/** Lets `npm run rebuild` find the running engine instead of opening its (locked) files. */
export async function recordEndpoints(dataDir: string, url: string, engineEndpoint: string) {
  await writeFile(
    join(dataDir, endpointsFile),
    `${JSON.stringify({ url, engineEndpoint, pid: process.pid }, null, 2)}\n`,
  );
}
