import type { Commit, Revision } from '#domain/events.ts';
import { mapLimited } from './concurrency.ts';
import type { Stores } from './stores.ts';

/**
 * Applies one commit to the history and the projection. Both writes are idempotent (the same
 * item again; a projection item only moves to a newer revision), so a commit applied twice, late
 * or out of order changes nothing.
 */
export async function applyCommit(stores: Stores, commit: Commit): Promise<void> {
  await stores.history.record(commit.events);
  await mapLimited(commit.events, 16, (event) => stores.projection.apply(event));
}

/**
 * After a batch of commits was applied: moves the projector's progress past them. The progress
 * may only stand at a revision when every commit up to it has been applied, so when the batch did
 * not start right after the progress (an earlier batch is late, lost or running elsewhere), the
 * commits in between are read from the log and applied first.
 */
export async function advanceProgress(stores: Stores, applied: readonly Commit[]): Promise<void> {
  const sorted = [...applied].sort((a, b) => a.revision - b.revision);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return;
  if (isContiguous(sorted)) {
    const to = { revision: last.revision, occurredAt: last.occurredAt };
    if (await stores.projection.advanceProgress(first.revision - 1, to)) return;
  }
  await catchUp(stores, { through: last.revision });
}

function isContiguous(sorted: readonly Commit[]): boolean {
  return sorted.every(
    (commit, index) => index === 0 || commit.revision === (sorted[index - 1]?.revision ?? 0) + 1,
  );
}

export interface CatchUpOptions {
  /** Apply from here instead of from the progress (0: rebuild everything). */
  readonly from?: Revision;
  /** Stop after this revision. @default - the newest */
  readonly through?: Revision;
  /** Stop once this returns true (a Lambda running out of time); progress is saved as it goes. */
  readonly outOfTime?: () => boolean;
}

export interface CatchUpReport {
  readonly commitsApplied: number;
  readonly eventsApplied: number;
  /** The projector's progress afterwards. */
  readonly revision: Revision;
  readonly durationMs: number;
}

/** Commits applied between two saves of the progress. */
const commitsPerStep = 100;

/**
 * Reads the log from the projector's progress (or from `from`) and applies every commit, saving
 * the progress after each step: the projector's way to fill any gap, the start-up reconciliation
 * of the local stack, and the rebuild. Safe at any time, while writes and the projector go on.
 */
export async function catchUp(
  stores: Stores,
  options: CatchUpOptions = {},
): Promise<CatchUpReport> {
  const started = performance.now();
  const progress = await stores.projection.progress();
  let after = options.from ?? progress.revision;
  let reached = progress.revision;
  let commitsApplied = 0;
  let eventsApplied = 0;
  for (;;) {
    if (options.through !== undefined && after >= options.through) break;
    const read = await stores.log.readAfter(after, {
      maxCommits: commitsPerStep,
      through: options.through,
    });
    for (const commit of read.commits) await applyCommit(stores, commit);
    const last = read.commits.at(-1);
    if (!last) break;
    commitsApplied += read.commits.length;
    eventsApplied += read.commits.reduce((sum, commit) => sum + commit.events.length, 0);
    await stores.projection.raiseProgress({ revision: last.revision, occurredAt: last.occurredAt });
    after = last.revision;
    reached = Math.max(reached, last.revision);
    if (read.reachedEnd || options.outOfTime?.()) break;
  }
  return {
    commitsApplied,
    eventsApplied,
    revision: reached,
    durationMs: Math.round(performance.now() - started),
  };
}
