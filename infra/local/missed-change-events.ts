import { open } from 'node:fs/promises';
import type { ChangeSink } from '#app/change-sink.ts';
import { publishBatch } from '#app/publishing.ts';
import type { Stores } from '#app/stores.ts';

/** More than the longest line: an event with a value fills at most EventBridge's 256 KB. */
const tailBytes = 1024 * 1024;

/**
 * The revision of the last whole event in a change-events file, or undefined when the file
 * holds none (or is not there).
 */
export async function lastRevisionIn(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, tailBytes);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      const revision = revisionOf(line);
      if (revision !== undefined) return revision;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

function revisionOf(line: string): number | undefined {
  try {
    const revision = JSON.parse(line)?.detail?.revision;
    return typeof revision === 'number' ? revision : undefined;
  } catch {
    // A line cut short by a crash, or the part of one the tail begins in.
    return undefined;
  }
}

/**
 * At start, before serving: the commits after the last one announced in the file, announced
 * now. Stream records still in memory at a crash (kill -9) are gone, as the projector's are;
 * the log still has their commits. A file without events (a first start, or one deleted on
 * purpose) is left as it is: the history is not announced again. Returns how many commits were.
 */
export async function publishMissedChanges(
  stores: Stores,
  file: string,
  sinks: readonly ChangeSink[],
): Promise<number> {
  let after = await lastRevisionIn(file);
  if (after === undefined) return 0;
  let published = 0;
  for (;;) {
    const read = await stores.log.readAfter(after, { maxCommits: 100 });
    const outcome = await publishBatch(
      sinks,
      read.commits.map((commit) => ({ id: String(commit.revision), commit: () => commit })),
    );
    if (outcome.failedFrom) throw outcome.failedFrom.error;
    published += read.commits.length;
    after = read.commits.at(-1)?.revision ?? after;
    if (read.reachedEnd || read.commits.length === 0) return published;
  }
}
