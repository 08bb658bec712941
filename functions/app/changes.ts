import type { ConfigEvent } from '#domain/events.ts';
import { formatInstant } from '#domain/instant.ts';
import { type FeedPosition, type FeedStore, positionCeiling } from '#store/feed-store.ts';

export interface ChangesQuery {
  /** Resume after this feed position; from the start of the feed without one. */
  readonly after?: FeedPosition;
  readonly limit: number;
  /** How long to wait for a first change when none is available yet; 0 answers at once. */
  readonly waitMs: number;
}

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
  /** Where the next read resumes: the last change's position, else the position asked after. */
  readonly resumeAfter?: FeedPosition;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The changes after a position, across every name: ordered by time, then name, then version.
 * When none is available it polls the feed until one is or the wait is over (a long poll), so
 * that followers need not call again and again.
 */
export async function readChanges(
  stores: { readonly feed: FeedStore },
  query: ChangesQuery,
  options: ChangesOptions,
): Promise<ChangesPage> {
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const deadline = clock.now() + query.waitMs;
  for (;;) {
    const until = positionCeiling(formatInstant(clock.now() - options.settleMs));
    const entries = await stores.feed.readAfter(query.after, until, query.limit);
    const remainingMs = deadline - clock.now();
    if (entries.length > 0 || remainingMs <= 0) {
      return {
        changes: entries.map((entry) => entry.event),
        resumeAfter: entries.at(-1)?.position ?? query.after,
      };
    }
    await clock.sleep(Math.min(pollIntervalMs, remainingMs));
  }
}
