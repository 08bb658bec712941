import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from './context.ts';
import { benchValue } from './fixtures.ts';
import { type BenchResponse, expectStatus } from './http-client.ts';
import { type Figure, figure } from './report.ts';
import { sample, summarize } from './stats.ts';

/**
 * Figure 11, the feed's delivery lag (issue 11): writes at a steady rate, and one follower
 * long-polling `GET /changes?after=<revision>&wait=20` as a watcher does. Each change's lag is
 * the time from its write's answer to the follower's receiving it. The feed reads the log itself,
 * so a change can reach the follower before its writer has its answer (a negative lag); the long
 * poll checks the log every 250 ms (functions/app/changes.ts), which bounds the lag. Compared to
 * one read of the feed with nothing to wait for.
 */

const writes = 200;
const writesPerSecond = 20;
const names = 10;
/** Written last: when the follower receives it, it stops. */
const lastName = 'bench.feed.last';

interface FeedBody {
  readonly changes: readonly { readonly name: string; readonly revision: number }[];
  readonly revision: number;
}

export async function benchFeed(context: BenchContext): Promise<Figure[]> {
  const { api } = context;
  await context.valve.idle();
  const start = (await context.stores.log.newest())?.revision ?? 0;
  const received = new Map<number, number>();
  const acknowledged = new Map<number, number>();
  const following = follow(context, start, received);
  const started = performance.now();
  for (let index = 0; index < writes; index++) {
    const due = started + (index * 1000) / writesPerSecond;
    await sleep(Math.max(0, due - performance.now()));
    const response = await put(context, `bench.feed.${index % names}`);
    acknowledged.set(revisionOf(response), performance.now());
  }
  await put(context, lastName);
  await following;
  const lags = [...acknowledged].map(([revision, ackedAt]) => {
    const at = received.get(revision);
    if (at === undefined) throw new Error(`The follower never received revision ${revision}.`);
    return at - ackedAt;
  });
  const head = (await context.stores.log.newest())?.revision ?? 0;
  const oneRead = summarize(
    await sample(50, async () => expectStatus(await api.get(`/changes?after=${head - 1}`), 200)),
  );
  const lag = summarize(lags);
  const group = '11 feed';
  const label = `lag from a write's answer to a long-polling follower (${writes} writes at ${writesPerSecond}/s)`;
  return [
    figure(
      group,
      { label: `${label}, median`, value: lag.median, unit: 'ms' },
      { label: 'one GET /changes, median', value: oneRead.median, unit: 'ms' },
    ),
    figure(
      group,
      { label: 'lag, p99', value: lag.p99, unit: 'ms' },
      { label: 'one GET /changes, p99', value: oneRead.p99, unit: 'ms' },
    ),
    figure(group, {
      label: 'changes the follower had before their writer had its answer',
      value: lags.filter((each) => each < 0).length,
      unit: 'count',
    }),
  ];
}

async function follow(context: BenchContext, start: number, received: Map<number, number>) {
  let after = start;
  for (;;) {
    const response = expectStatus(await context.api.get(`/changes?after=${after}&wait=20`), 200);
    const at = performance.now();
    const body = JSON.parse(response.text) as FeedBody;
    for (const change of body.changes) {
      if (change.name === lastName) return;
      if (!received.has(change.revision)) received.set(change.revision, at);
    }
    after = body.revision;
  }
}

function put(context: BenchContext, name: string): Promise<BenchResponse> {
  return context.api
    .put(`/config/${name}`, { value: benchValue })
    .then((response) => expectStatus(response, 200, 201));
}

function revisionOf(response: BenchResponse): number {
  const revision = Number(response.headers['config-revision']);
  if (!Number.isInteger(revision)) throw new Error('A write answered without Config-Revision.');
  return revision;
}
