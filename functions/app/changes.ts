import { setTimeout as sleep } from 'node:timers/promises';
import { RevisionNotFoundError } from '#domain/errors.ts';
import type { Commit, Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import type { Stores } from './stores.ts';

/** Where a read of the feed starts: after a revision, or at an instant. */
export type ChangesStart =
  | { readonly after: Revision; readonly since?: undefined }
  | { readonly since: Instant; readonly after?: undefined };

export type ChangesQuery = ChangesStart & {
  /** Changes (events) at most; a commit is never split, and one is always returned whole. */
  readonly limit: number;
  /** Approximate bytes of values at most. */
  readonly maxBytes: number;
  /** How long to wait for a first change when none is available yet; 0 answers at once. */
  readonly waitMs: number;
  /**
   * Which names' changes the reader may see (access by prefix); the others are left out of the
   * commits, and a commit left empty is left out, but the page's revision still moves past it.
   * @default every name
   */
  readonly visible?: (name: string) => boolean;
};

export interface ChangesOptions {
  /** @default 250 */
  readonly pollIntervalMs?: number;
  /** @default the system clock */
  readonly clock?: Clock;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ChangesPage {
  /** Whole commits, in revision order. */
  readonly commits: Commit[];
  /** Where the follower stands after this page: pass it back as `after`. */
  readonly revision: Revision;
  /** True when more changes were already waiting beyond this page. */
  readonly more: boolean;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};

/**
 * The changes after a revision (or since an instant), across every name, in revision order,
 * read from the log itself. The log has no gaps and a revision exists only once every lower one
 * does, so a follower that resumes after the last revision it saw never misses a change and
 * never sees one twice, however slow any writer, the stream or the projector is. When nothing
 * follows yet it polls the log until something does or the wait is over (a long poll).
 */
export async function readChanges(
  stores: Pick<Stores, 'log'>,
  query: ChangesQuery,
  options: ChangesOptions = {},
): Promise<ChangesPage> {
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const deadline = clock.now() + query.waitMs;
  let after = await startingRevision(stores, query);
  // A follower ahead of the log (the ledger was restored from a backup, say) must learn it: an
  // empty answer would let it wait forever. Checked only when nothing follows, so busy
  // followers pay nothing for it.
  let checked = query.since !== undefined || after === 0;
  for (;;) {
    // Eventually consistent: a follower comes back for whatever a replica did not have yet, so
    // the most frequent read of the service (every follower's poll) costs half.
    const read = await stores.log.readAfter(after, {
      maxCommits: query.limit,
      maxEvents: query.limit,
      maxBytes: query.maxBytes,
      eventual: true,
    });
    const page = pageOf(read, query.visible, clock.now() >= deadline);
    if (page) return page;
    // Only changes the reader may not see, if any: it waits on from there, as if none had come.
    after = read.commits.at(-1)?.revision ?? after;
    if (!checked) {
      await assertExists(stores, after);
      checked = true;
    }
    const remainingMs = deadline - clock.now();
    if (remainingMs <= 0) return { commits: [], revision: after, more: false };
    await clock.sleep(Math.min(pollIntervalMs, remainingMs));
  }
}

/**
 * The answer to a read of the log, unless the reader should wait on: nothing followed, or only
 * changes it may not see, and there is time left.
 */
function pageOf(
  read: { commits: Commit[]; reachedEnd: boolean },
  visible: ChangesQuery['visible'],
  timeIsUp: boolean,
): ChangesPage | undefined {
  const last = read.commits.at(-1);
  if (!last) return undefined;
  const commits = visibleOnly(read.commits, visible);
  if (commits.length === 0 && read.reachedEnd && !timeIsUp) return undefined;
  return { commits, revision: last.revision, more: !read.reachedEnd };
}

function visibleOnly(commits: Commit[], visible: ChangesQuery['visible']): Commit[] {
  if (visible === undefined) return commits;
  return commits.flatMap((commit) => {
    const events = commit.events.filter((event) => visible(event.name));
    return events.length === 0 ? [] : [{ ...commit, events }];
  });
}

/** The revision to read after: a follower's own, or the last one before the instant. */
async function startingRevision(
  stores: Pick<Stores, 'log'>,
  query: ChangesStart,
): Promise<Revision> {
  if (query.since === undefined) return query.after;
  return stores.log.revisionBefore(query.since, await stores.log.newest());
}

async function assertExists(stores: Pick<Stores, 'log'>, revision: Revision): Promise<void> {
  if (await stores.log.get(revision)) return;
  throw new RevisionNotFoundError(revision, (await stores.log.newest())?.revision ?? 0);
}
