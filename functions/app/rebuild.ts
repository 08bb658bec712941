import type { ConfigEvent } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import type { FeedStore } from '#store/feed-store.ts';
import { mapLimited } from './concurrency.ts';
import type { Stores } from './stores.ts';

export interface RebuildReport {
  readonly eventsRead: number;
  readonly entriesWritten: number;
  /** Events (re)written to the change feed; 0 when the feed was not asked for. */
  readonly feedEventsWritten: number;
  readonly durationMs: number;
}

export interface FeedReplay {
  readonly store: FeedStore;
  /** Only events that occurred at or after this instant; every event when absent. */
  readonly since?: Instant;
}

export interface RebuildOptions {
  readonly segments?: number;
  /** Projection writes in flight at once, per segment. */
  readonly concurrency?: number;
  /**
   * Also replays events into the change feed, for events whose stream records never reached
   * the projector (dead-lettered, in flight at a crash, older than the feed table).
   */
  readonly feed?: FeedReplay;
}

/**
 * Replays the whole events table into the projection with a parallel scan. Only each page's
 * newest event per name is written, and the projection's version guard ignores anything older
 * than what it holds, so a rebuild is idempotent and safe while writes and the projector go on.
 */
export async function rebuildProjection(
  stores: Stores,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const started = performance.now();
  const segments = options.segments ?? 4;
  const concurrency = options.concurrency ?? 16;
  const counts = await Promise.all(
    Array.from({ length: segments }, (_, segment) =>
      replaySegment(stores, { segment, total: segments, concurrency, feed: options.feed }),
    ),
  );
  const sum = (field: keyof (typeof counts)[number]) =>
    counts.reduce((total, count) => total + count[field], 0);
  return {
    eventsRead: sum('eventsRead'),
    entriesWritten: sum('entriesWritten'),
    feedEventsWritten: sum('feedEventsWritten'),
    durationMs: Math.round(performance.now() - started),
  };
}

interface SegmentJob {
  readonly segment: number;
  readonly total: number;
  readonly concurrency: number;
  readonly feed?: FeedReplay;
}

async function replaySegment(stores: Stores, job: SegmentJob) {
  let eventsRead = 0;
  let entriesWritten = 0;
  let feedEventsWritten = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stores.events.scanSegment(job.segment, job.total, startKey);
    eventsRead += page.events.length;
    const heads = newestPerName(page.events);
    await mapLimited(heads, job.concurrency, (event) => stores.projection.apply(event));
    entriesWritten += heads.length;
    if (job.feed) feedEventsWritten += await replayIntoFeed(job.feed, page.events);
    startKey = page.nextKey;
  } while (startKey);
  return { eventsRead, entriesWritten, feedEventsWritten };
}

function replayIntoFeed(feed: FeedReplay, events: readonly ConfigEvent[]): Promise<number> {
  const since = feed.since;
  return feed.store.recordAll(
    since === undefined ? events : events.filter((event) => event.occurredAt >= since),
  );
}

function newestPerName(events: readonly ConfigEvent[]): ConfigEvent[] {
  const newest = new Map<string, ConfigEvent>();
  for (const event of events) {
    const known = newest.get(event.name);
    if (!known || known.version < event.version) newest.set(event.name, event);
  }
  return [...newest.values()];
}
