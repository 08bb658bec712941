import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ConfigurationError } from './config.ts';
import { endpointsFile } from './data-dir.ts';

export interface InstanceLock {
  release(): Promise<void>;
}

/**
 * Takes DATA_DIR for this process, or says who holds it. The lock is an operating-system lock
 * (LevelDB's LOCK file, a `fcntl` lock on a small store of its own), held while the process lives
 * and released by the kernel however it ends, kill -9 included: a stale record of a dead stack,
 * even one whose pid now belongs to another process, never blocks the folder, and two stacks
 * starting at once cannot both win.
 */
export async function lockDataDir(dataDir: string): Promise<InstanceLock> {
  const lock = await tryLockDataDir(dataDir);
  if (lock) return lock;
  throw await inUseError(dataDir);
}

/** What to say when another process holds DATA_DIR. */
export async function inUseError(dataDir: string): Promise<ConfigurationError> {
  return new ConfigurationError(
    `DATA_DIR ${dataDir} is in use by another local stack (${await ownerOf(dataDir)}). Stop it or set DATA_DIR to another folder.`,
  );
}

/** The lock, or undefined when another process holds it. */
export async function tryLockDataDir(dataDir: string): Promise<InstanceLock | undefined> {
  const store = new ClassicLevel(join(dataDir, 'instance-lock'));
  try {
    await store.open();
  } catch (error) {
    if (isLocked(error)) return undefined;
    throw error;
  }
  return { release: () => store.close() };
}

function isLocked(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return (error as { code?: string }).code === 'LEVEL_LOCKED' || cause?.code === 'LEVEL_LOCKED';
}

/** What the holder wrote once it served; nothing yet while it is still starting. */
async function ownerOf(dataDir: string): Promise<string> {
  const owner = await readFile(join(dataDir, endpointsFile), 'utf8')
    .then((text) => JSON.parse(text) as { pid?: number; url?: string })
    .catch(() => undefined);
  return owner?.pid ? `pid ${owner.pid}, ${owner.url}` : 'still starting';
}
