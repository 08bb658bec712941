import { createDocumentClient } from '#store/dynamo-client.ts';
import { EventStore } from '#store/event-store.ts';
import type { BenchContext } from './context.ts';
import { versionOf } from './http-client.ts';
import { type Budget, type Figure, figure } from './report.ts';
import { concurrently, summarize, timed } from './stats.ts';

/**
 * Figure 8: 16 writers at once, each with a fixed number of blind PUTs, all on one name and then
 * each on its own name. Every acknowledged write must be in the history at the version its
 * response named, with the value it sent: one that is not is a lost update.
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
  readonly p99: number;
  readonly acknowledged: number;
  readonly refused: number;
  readonly lost: number;
}

export async function benchContention(context: BenchContext): Promise<Figure[]> {
  await context.stack.delivery.idle();
  const hot = await contend(context, () => 'bench.hot');
  const spread = await contend(context, (writer) => `bench.spread.${writer}`);
  const group = '8 contention';
  const total = writers * writesPerWriter;
  const zeroLost = (lost: number): Budget => ({ text: '0 lost updates', met: lost === 0 });
  return [
    figure(
      group,
      { label: `${writers} writers, 1 name: throughput`, value: hot.throughput, unit: 'writes/s' },
      { label: `${writers} names`, value: spread.throughput, unit: 'writes/s' },
    ),
    figure(
      group,
      { label: `${writers} writers, 1 name: latency p99`, value: hot.p99, unit: 'ms' },
      { label: `${writers} names`, value: spread.p99, unit: 'ms' },
    ),
    figure(
      group,
      { label: `1 name: lost updates (of ${total} writes)`, value: hot.lost, unit: 'count' },
      { label: 'acknowledged', value: hot.acknowledged, unit: 'count' },
      zeroLost(hot.lost),
    ),
    figure(
      group,
      {
        label: `${writers} names: lost updates (of ${total} writes)`,
        value: spread.lost,
        unit: 'count',
      },
      { label: 'acknowledged', value: spread.acknowledged, unit: 'count' },
      zeroLost(spread.lost),
    ),
    figure(
      group,
      { label: '1 name: writes refused (503 contention)', value: hot.refused, unit: 'count' },
      { label: `${writers} names`, value: spread.refused, unit: 'count' },
    ),
  ];
}

async function contend(
  context: BenchContext,
  nameOf: (writer: number) => string,
): Promise<Outcome> {
  const acknowledged: Acknowledged[] = [];
  const latencies: number[] = [];
  let refused = 0;
  const started = performance.now();
  await concurrently(writers, async (writer) => {
    for (let sequence = 0; sequence < writesPerWriter; sequence++) {
      const name = nameOf(writer);
      const value = { writer, sequence };
      let status = 0;
      let version = 0;
      latencies.push(
        await timed(async () => {
          const response = await context.api.put(`/config/${name}`, { value });
          status = response.status;
          version = versionOf(response);
        }),
      );
      if (status === 200 || status === 201) {
        acknowledged.push({ name, version, value: JSON.stringify(value) });
      } else if (status === 503) {
        refused++;
      } else {
        throw new Error(`A contended PUT answered HTTP ${status}.`);
      }
    }
  });
  const elapsedS = (performance.now() - started) / 1000;
  return {
    throughput: acknowledged.length / elapsedS,
    p99: summarize(latencies).p99,
    acknowledged: acknowledged.length,
    refused,
    lost: await countLost(context, acknowledged),
  };
}

/** Acknowledged writes whose version does not hold the value they wrote. */
async function countLost(context: BenchContext, acknowledged: readonly Acknowledged[]) {
  const events = new EventStore(createDocumentClient(context.dynamo), context.tables.events);
  const stored = new Map<string, string>();
  for (const name of new Set(acknowledged.map((write) => write.name))) {
    let afterVersion = 0;
    for (let more = true; more; ) {
      const page = await events.readPage(name, 1000, afterVersion);
      for (const event of page.events) {
        if (event.type === 'ConfigValueSet') stored.set(`${name}@${event.version}`, event.value);
      }
      more = page.lastVersion !== undefined;
      afterVersion = page.lastVersion ?? afterVersion;
    }
  }
  return acknowledged.filter(
    (write) => stored.get(`${write.name}@${write.version}`) !== write.value,
  ).length;
}
