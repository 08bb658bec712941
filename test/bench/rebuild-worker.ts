import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { rebuildProjection } from '#app/rebuild.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { EventStore } from '#store/event-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';

/**
 * Child process of figure 7, so that its memory is the rebuild's alone (the engine stays in the
 * bench process), as in the rebuild Lambda. Reads its job from the environment and prints one
 * JSON line (a WorkerReport, see rebuild.ts). Needs --expose-gc.
 */

const mode = process.env.BENCH_WORKER_MODE;
const eventsTable = process.env.BENCH_EVENTS_TABLE ?? '';
const projectionTable = process.env.BENCH_PROJECTION_TABLE ?? '';
const segments = Number(process.env.BENCH_SEGMENTS ?? 8);

async function main() {
  const client = new DynamoDBClient({});
  const gc = globalThis.gc ?? (() => {});
  gc();
  const baseline = process.memoryUsage();
  const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  }, 10);
  resetPeakRss();
  const started = performance.now();
  const eventsRead = mode === 'rebuild' ? await rebuild(client) : await bareScan(client);
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  peak.heapUsed = Math.max(peak.heapUsed, process.memoryUsage().heapUsed);
  gc();
  const report = {
    eventsRead,
    durationMs,
    baselineRss: baseline.rss,
    baselineHeapUsed: baseline.heapUsed,
    peakRss: peakRss() ?? peak.rss,
    peakHeapUsed: peak.heapUsed,
    retainedHeapUsed: process.memoryUsage().heapUsed,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  client.destroy();
}

/**
 * The kernel's RSS high-water mark is exact where sampling a busy process is not; on Linux it can
 * be reset once start-up (module loading) is over, so that it covers the work alone.
 */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: the sampled peak stands in.
  }
}

function peakRss(): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

async function rebuild(client: DynamoDBClient): Promise<number> {
  const db = createDocumentClient(client);
  const stores = {
    events: new EventStore(db, eventsTable),
    projection: new ProjectionStore(db, projectionTable),
  };
  return (await rebuildProjection(stores, { segments })).eventsRead;
}

/** The floor: the same parallel scan, items counted and dropped, nothing decoded or written. */
async function bareScan(client: DynamoDBClient): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let count = 0;
      let startKey: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: eventsTable,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey as typeof startKey;
      } while (startKey);
      return count;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

await main();
