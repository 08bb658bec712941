import type { BenchContext } from './context.ts';
import { versionOf } from './http-client.ts';
import { type Budget, type Figure, figure, type Measure } from './report.ts';
import { concurrently, summarize, timed } from './stats.ts';

/**
 * Figure 8, the throughput of the order (issue 11): 16 writers at once, each with a fixed number
 * of blind PUTs, all on one name and then each on its own name. Every commit takes the next
 * revision of the one log, so writers on different names contend for revisions as much as writers
 * on one name; a writer that loses reads what beat it and tries the next revision
 * (functions/app/commands.ts). The attempts are the log's PutItems, counted. Every acknowledged
 * write must be in the log at the version its response named, with the value it sent: one that
 * is not is a lost update.
 */

const writers = 16;
const writesPerWriter = 25;

interface Acknowledged {
  readonly name: string;
  readonly version: number;
  readonly value: string;
}

interface Outcome {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly acknowledged: number;
  readonly refused: number;
  readonly attemptsPerCommit: number;
  readonly lost: number;
}

/**
 * The old design's figures (docs/performance.md, one run before issue 11): each name had its own
 * order.
 */
const before = {
  hot: { throughput: 86, p99: 1900 },
  spread: { throughput: 420, p99: 54 },
};

export async function benchContention(context: BenchContext): Promise<Figure[]> {
  await context.valve.idle();
  const hot = await contend(context, () => 'bench.hot');
  const spread = await contend(context, (writer) => `bench.spread.${writer}`);
  return [
    ...outcomeRows('1 name', hot, before.hot),
    ...outcomeRows(`${writers} names`, spread, before.spread),
  ];
}

function outcomeRows(
  names: string,
  outcome: Outcome,
  old: { throughput: number; p99: number },
): Figure[] {
  const group = '8 contention';
  const total = writers * writesPerWriter;
  const zeroLost: Budget = { text: '0 lost updates', met: outcome.lost === 0 };
  const oldValue = (value: number, unit: Measure['unit']): Measure => ({
    label: 'old design (docs/performance.md)',
    value,
    unit,
  });
  const label = `${writers} writers, ${names}`;
  return [
    figure(
      group,
      { label: `${label}: throughput`, value: outcome.throughput, unit: 'writes/s' },
      undefined,
      undefined,
      oldValue(old.throughput, 'writes/s'),
    ),
    figure(
      group,
      { label: `${label}: latency p50`, value: outcome.p50, unit: 'ms' },
      { label: 'p99', value: outcome.p99, unit: 'ms' },
      undefined,
      oldValue(old.p99, 'ms'),
    ),
    figure(group, {
      label: `${label}: PutItem attempts per commit`,
      value: outcome.attemptsPerCommit,
      unit: '×',
    }),
    figure(
      group,
      { label: `${label}: lost updates (of ${total} writes)`, value: outcome.lost, unit: 'count' },
      { label: 'acknowledged', value: outcome.acknowledged, unit: 'count' },
      zeroLost,
    ),
    figure(group, {
      label: `${label}: writes refused (503 contention)`,
      value: outcome.refused,
      unit: 'count',
    }),
  ];
}

async function contend(
  context: BenchContext,
  nameOf: (writer: number) => string,
): Promise<Outcome> {
  const acknowledged: Acknowledged[] = [];
  const latencies: number[] = [];
  let refused = 0;
  const startRevision = (await context.stores.log.newest())?.revision ?? 0;
  const started = performance.now();
  const { tally } = await context.meter.count(() =>
    concurrently(writers, async (writer) => {
      for (let sequence = 0; sequence < writesPerWriter; sequence++) {
        const outcome = await write(context, nameOf(writer), { writer, sequence });
        latencies.push(outcome.ms);
        if (outcome.acknowledged) acknowledged.push(outcome.acknowledged);
        else refused++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const latency = summarize(latencies);
  const attempts = tally.totals(1, { table: 'log', operation: 'PutItem' }).requests;
  return {
    throughput: acknowledged.length / elapsedS,
    p50: latency.median,
    p99: latency.p99,
    acknowledged: acknowledged.length,
    refused,
    attemptsPerCommit: attempts / Math.max(1, acknowledged.length),
    lost: await countLost(context, startRevision, acknowledged),
  };
}

/** One PUT: acknowledged, or refused for contention (503); anything else ends the bench. */
async function write(
  context: BenchContext,
  name: string,
  value: unknown,
): Promise<{ ms: number; acknowledged?: Acknowledged }> {
  let status = 0;
  let version = 0;
  const ms = await timed(async () => {
    const response = await context.api.put(`/config/${name}`, { value });
    status = response.status;
    version = versionOf(response);
  });
  if (status === 200 || status === 201) {
    return { ms, acknowledged: { name, version, value: JSON.stringify(value) } };
  }
  if (status === 503) return { ms };
  throw new Error(`A contended PUT answered HTTP ${status}.`);
}

/** Acknowledged writes whose version does not hold the value they wrote, read from the log. */
async function countLost(
  context: BenchContext,
  after: number,
  acknowledged: readonly Acknowledged[],
): Promise<number> {
  const stored = new Map<string, string>();
  const read = await context.stores.log.readAfter(after, { maxCommits: 100_000 });
  for (const commit of read.commits) {
    for (const event of commit.events) {
      if (event.type === 'ConfigValueSet')
        stored.set(`${event.name}@${event.version}`, event.value);
    }
  }
  return acknowledged.filter(
    (write) => stored.get(`${write.name}@${write.version}`) !== write.value,
  ).length;
}
