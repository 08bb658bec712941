import { ConfigLedgerClient, ConfigReader, noRetries } from '#client/index.ts';
import type { BenchContext } from './context.ts';
import { expectStatus } from './http-client.ts';
import { memoryOf } from './lambda-process.ts';
import { apiRequestUsd, dynamoUsd, lambdaUsd, prices, secondsPerMonth } from './prices.ts';
import { budget, type Figure, figure } from './report.ts';
import { concurrently, summarize, timed } from './stats.ts';

/**
 * Figure 13, push (issue 13): what an idle watcher costs a month on AppSync Events, from the
 * prices in prices.ts and a feed read measured here; and how fast one change reaches 1,000
 * readers subscribed over WebSockets to the local stack's push, on loopback.
 */

const group = '13 push';
const subscribers = 1000;
/** Readers loaded at once: the local stack answers a listing in about 100 ms on 2 cores. */
const loaders = 10;
/** The reader's default: a feed read when no push came for this long. */
const recheckMs = 30 * 60_000;
/** Assumed: a connection lasts about a day before the network or AppSync ends it. */
const reconnectsPerMonth = 730 / 24;
const minutesPerMonth = secondsPerMonth / 60;

export async function benchPush(context: BenchContext): Promise<Figure[]> {
  return [...(await idleWatcherRows(context)), ...(await deliveryRows(context))];
}

async function idleWatcherRows(context: BenchContext): Promise<Figure[]> {
  await context.valve.idle();
  const head = (await context.stores.log.newest())?.revision ?? 0;
  let durationMs = 0;
  const { tally } = await context.meter.measure(async () => {
    durationMs = await timed(async () =>
      expectStatus(await context.api.get(`/changes?after=${head}`), 200),
    );
  });
  const read = tally.totals(1);
  const feedReadUsd =
    dynamoUsd({ read: read.readUnits, write: read.writeUnits }) +
    lambdaUsd(memoryOf('get-changes'), durationMs) +
    apiRequestUsd;
  const operationUsd = prices.appSyncEvents.usdPerMillionOperations / 1e6;
  const parts = {
    connection: (minutesPerMonth * prices.appSyncEvents.usdPerMillionConnectionMinutes) / 1e6,
    reconnects: reconnectsPerMonth * (2 * operationUsd + feedReadUsd),
    rechecks: (secondsPerMonth / (recheckMs / 1000)) * feedReadUsd,
  };
  const total = parts.connection + parts.reconnects + parts.rechecks;
  const usd = (value: number) => value.toPrecision(2);
  return [
    figure(group, {
      label: `a feed read (catch-up, recheck), USD per million: ${tally.describe(1)}, ${durationMs.toFixed(0)} ms`,
      value: feedReadUsd * 1e6,
      unit: 'USD',
    }),
    figure(
      group,
      {
        label: `idle watcher-month on push (connection ${usd(parts.connection)}, ${Math.round(reconnectsPerMonth)} reconnects ${usd(parts.reconnects)}, a recheck every ${recheckMs / 60_000} min ${usd(parts.rechecks)}; AppSync Events ${prices.region}, ${prices.appSyncEvents.since})`,
        value: total,
        unit: 'USD',
      },
      undefined,
      budget.atMost(total, 0.01, 'USD'),
      { label: 'long poll, issue 13 (about)', value: 10, unit: 'USD' },
    ),
  ];
}

/**
 * 1,000 readers on push, then one change: the time from sending the PUT to each reader's
 * callback. The change waits until every reader is subscribed.
 */
async function deliveryRows(context: BenchContext): Promise<Figure[]> {
  const name = `bench.push.flag${Date.now()}`;
  const arrivals: number[] = [];
  let sentAt = 0;
  const readers: ConfigReader[] = [];
  const client = new ConfigLedgerClient({ baseUrl: context.stack.url, retry: noRetries });
  const setupMs = await timed(() =>
    concurrently(loaders, async (worker) => {
      for (let index = worker; index < subscribers; index += loaders) {
        readers.push(
          await subscribedReader(client, context.stack.pushUrl, name, arrivals, () => sentAt),
        );
      }
    }),
  );
  sentAt = performance.now();
  expectStatus(await context.api.put(`/config/${name}`, { value: true }), 201);
  await waitUntil(() => arrivals.length === subscribers, 30_000);
  for (const reader of readers) reader.close();
  const summary = summarize(arrivals);
  return [
    figure(group, {
      label: `${subscribers} readers loaded and subscribed to the push (${loaders} at a time)`,
      value: setupMs,
      unit: 'ms',
    }),
    figure(group, {
      label: `one change to ${subscribers} readers: median`,
      value: summary.median,
      unit: 'ms',
    }),
    figure(
      group,
      {
        label: `one change to ${subscribers} readers: p99 (max ${summary.max.toFixed(0)} ms)`,
        value: summary.p99,
        unit: 'ms',
      },
      undefined,
      budget.atMost(summary.p99, 1000, 'ms'),
    ),
  ];
}

async function subscribedReader(
  client: ConfigLedgerClient,
  pushUrl: string,
  name: string,
  arrivals: number[],
  sentAt: () => number,
): Promise<ConfigReader> {
  // A clock that only counts: the reader stamps each contact with it, so the catch-up read that
  // follows its subscription shows as a later stamp than the load's.
  let ticks = 0;
  const reader = await ConfigReader.load(client, {
    prefix: name,
    push: { url: pushUrl },
    now: () => ++ticks,
  });
  const loaded = ticks;
  reader.subscribe((change) => {
    if (change.name === name) arrivals.push(performance.now() - sentAt());
  });
  await waitUntil(() => reader.staleness().lastContactAt.getTime() > loaded, 600_000);
  return reader;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not reached in ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
