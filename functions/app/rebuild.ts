import type { ConfigEvent } from '#domain/events.ts';
import { mapLimited } from './concurrency.ts';
import type { Stores } from './stores.ts';

export interface RebuildReport {
  readonly eventsRead: number;
  readonly entriesWritten: number;
  readonly durationMs: number;
}

export interface RebuildOptions {
  readonly segments?: number;
  /** Projection writes in flight at once, per segment. */
  readonly concurrency?: number;
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
      replaySegment(stores, segment, segments, concurrency),
    ),
  );
  return {
    eventsRead: counts.reduce((sum, count) => sum + count.eventsRead, 0),
    entriesWritten: counts.reduce((sum, count) => sum + count.entriesWritten, 0),
    durationMs: Math.round(performance.now() - started),
  };
}

async function replaySegment(stores: Stores, segment: number, total: number, concurrency: number) {
  let eventsRead = 0;
  let entriesWritten = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stores.events.scanSegment(segment, total, startKey);
    eventsRead += page.events.length;
    const heads = newestPerName(page.events);
    await mapLimited(heads, concurrency, (event) => stores.projection.apply(event));
    entriesWritten += heads.length;
    startKey = page.nextKey;
  } while (startKey);
  return { eventsRead, entriesWritten };
}

function newestPerName(events: readonly ConfigEvent[]): ConfigEvent[] {
  const newest = new Map<string, ConfigEvent>();
  for (const event of events) {
    const known = newest.get(event.name);
    if (!known || known.version < event.version) newest.set(event.name, event);
  }
  return [...newest.values()];
}
