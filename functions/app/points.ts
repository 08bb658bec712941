import { setTimeout as sleep } from 'node:timers/promises';
import { NotCaughtUpError, RevisionNotFoundError } from '#domain/errors.ts';
import type { Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { limits } from '#domain/limits.ts';
import type { ProjectorProgress } from '#store/projection-store.ts';
import type { Stores } from './stores.ts';

/** Which point in the order a read asks for. */
export type PointQuery =
  /** Now: every change acknowledged before the request. */
  | { readonly kind: 'newest' }
  /** Exactly this revision. */
  | { readonly kind: 'revision'; readonly revision: Revision }
  /** The revision current at an instant: every change that occurred at or before it. */
  | { readonly kind: 'instant'; readonly instant: Instant };

export const newest: PointQuery = { kind: 'newest' };

/** The revision a point stands for; a revision beyond the newest one has not happened. */
export async function revisionOf(
  stores: Pick<Stores, 'log'>,
  point: PointQuery,
): Promise<Revision> {
  const newestCommit =
    point.kind === 'revision' && point.revision === 0 ? undefined : await stores.log.newest();
  const newestRevision = newestCommit?.revision ?? 0;
  switch (point.kind) {
    case 'newest':
      return newestRevision;
    case 'revision':
      if (point.revision > newestRevision) {
        throw new RevisionNotFoundError(point.revision, newestRevision);
      }
      return point.revision;
    case 'instant':
      return stores.log.revisionAt(point.instant, newestCommit);
    default: {
      const unhandled: never = point;
      return unhandled;
    }
  }
}

export interface WaitOptions {
  /** @default limits.projectionWaitMs */
  readonly timeoutMs?: number;
  /** @default the system clock */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits (briefly) until the projector has applied every commit up to a revision, so that the
 * projected views show exactly that point; the read then needs nothing from the log. Answers
 * 503 not_caught_up when the projector is not there in time.
 */
export async function awaitProjected(
  stores: Pick<Stores, 'projection'>,
  revision: Revision,
  options: WaitOptions = {},
): Promise<ProjectorProgress> {
  const pause = options.sleep ?? sleep;
  const deadline = performance.now() + (options.timeoutMs ?? limits.projectionWaitMs);
  let interval = 5;
  for (;;) {
    const progress = await stores.projection.progress();
    if (progress.revision >= revision) return progress;
    if (performance.now() >= deadline) throw new NotCaughtUpError(revision, progress.revision);
    await pause(interval);
    interval = Math.min(100, interval * 2);
  }
}
