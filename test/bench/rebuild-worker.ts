import { readFileSync, writeFileSync } from 'node:fs';
import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { catchUp } from '#app/projection.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { logPartition } from '#store/log-codec.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { bareProgress, bareRecordHistory, progressUpdate, projectionUpdate } from './floor.ts';

/**
 * Child process of figure 7, so that its memory is the catch-up's alone (the engine stays in the
 * bench process), as in the rebuild Lambda. Reads its job from the environment and prints one
 * JSON line (a WorkerReport, see rebuild.ts). Needs --expose-gc.
 */

const mode = process.env.BENCH_WORKER_MODE;
const through = Number(process.env.BENCH_THROUGH);
const tables = {
  log: process.env.BENCH_LOG_TABLE ?? '',
  history: process.env.BENCH_HISTORY_TABLE ?? '',
  projection: process.env.BENCH_PROJECTION_TABLE ?? '',
};
/** As catchUp reads the log (functions/app/projection.ts). */
const commitsPerStep = 100;

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
  const eventsRead = mode === 'rebuild' ? await rebuild(client) : await bareCatchUp(client);
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
    log: new LogStore(db, tables.log),
    history: new HistoryStore(db, tables.history),
    projection: new ProjectionStore(db, tables.projection),
  };
  return (await catchUp(stores, { from: 0, through })).eventsApplied;
}

/**
 * The floor: the catch-up's calls, bare: the log in the same pages, each change's history item
 * and projection update, the progress after each page; nothing decoded but the keys.
 */
async function bareCatchUp(client: DynamoDBClient): Promise<number> {
  await bareProgress(client, tables.projection);
  let applied = 0;
  for (let after = 0; after < through; ) {
    const page = await client.send(
      new QueryCommand({
        TableName: tables.log,
        KeyConditionExpression: '#log = :log AND #revision BETWEEN :first AND :through',
        ExpressionAttributeNames: { '#log': 'log', '#revision': 'revision' },
        ExpressionAttributeValues: {
          ':log': { S: logPartition },
          ':first': { N: String(after + 1) },
          ':through': { N: String(through) },
        },
        Limit: commitsPerStep,
        ConsistentRead: true,
      }),
    );
    const items = page.Items ?? [];
    const last = items.at(-1);
    if (!last) break;
    for (const item of items) applied += await applyBare(client, item);
    await client.send(
      progressUpdate(tables.projection, {
        revision: last.revision as AttributeValue,
        occurredAt: last.occurredAt as AttributeValue,
      }),
    );
    after = Number(last.revision?.N);
  }
  return applied;
}

async function applyBare(client: DynamoDBClient, item: Record<string, AttributeValue>) {
  const changes = item.changes?.L ?? [];
  for (const change of changes) {
    const event = {
      ...change.M,
      revision: item.revision as AttributeValue,
      occurredAt: item.occurredAt as AttributeValue,
      actor: item.actor as AttributeValue,
    };
    await bareRecordHistory(client, tables.history, event);
    await client.send(projectionUpdate(tables.projection, event));
  }
  return changes.length;
}

await main();
