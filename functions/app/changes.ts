import type { ConfigEvent } from '#domain/events.ts';
import { formatInstant, type Instant } from '#domain/instant.ts';
import {
  type FeedPosition,
  type FeedStore,
  positionCeiling,
  positionFloor,
} from '#store/feed-store.ts';

/** Where a read starts: after a position, at an instant, or (with neither) at the beginning. */
export type ChangesStart =
  | {
      /** Resume after this feed position. */
      readonly after?: FeedPosition;
      readonly since?: undefined;
    }
  | {
      /** Start at the first change that occurred at or after this instant. */
      readonly since: Instant;
      readonly after?: undefined;
    };

export type ChangesQuery = ChangesStart & {
  readonly limit: number;
  /** How long to wait for a first change when none is available yet; 0 answers at once. */
  readonly waitMs: number;
};

export interface ChangesOptions {
  /**
   * Only events older than this are served: by then the projector has written every event that
   * occurred before them (while its lag stays below the window), so a cursor never passes one.
   */
  readonly settleMs: number;
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
  readonly changes: ConfigEvent[];
  /**
   * Where the next read resumes: the last change's position, else the position asked after, or
   * the floor of the instant asked since (so that a follower misses no change from then on).
   */
  readonly resumeAfter?: FeedPosition;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The changes after a position or since an instant, across every name: ordered by time, then
 * name, then version. When none is available it polls the feed until one is or the wait is over
 * (a long poll), so that followers need not call again and again. Whatever the start, only what
 * is older than the settle window is served.
 */
export async function readChanges(
  stores: { readonly feed: FeedStore },
  query: ChangesQuery,
  options: ChangesOptions,
): Promise<ChangesPage> {
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const deadline = clock.now() + query.waitMs;
  const from = query.since === undefined ? undefined : positionFloor(query.since);
  for (;;) {
    const until = positionCeiling(formatInstant(clock.now() - options.settleMs));
    const entries =
      from === undefined
        ? await stores.feed.readAfter(query.after, until, query.limit)
        : await stores.feed.readFrom(from, until, query.limit);
    const remainingMs = deadline - clock.now();
    if (entries.length > 0 || remainingMs <= 0) {
      return {
        changes: entries.map((entry) => entry.event),
        // The floor holds no event: resuming after it starts at the instant asked since.
        resumeAfter: entries.at(-1)?.position ?? query.after ?? from,
      };
    }
    await clock.sleep(Math.min(pollIntervalMs, remainingMs));
  }
}
