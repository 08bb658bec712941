import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configFromEnv, tableNameOf } from '#local/config.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { eventsTable, projectionTable } from '#store/tables.ts';
import { benchColdStart } from './cold-start.ts';
import { benchContention } from './contention.ts';
import type { BenchContext } from './context.ts';
import { BenchClient } from './http-client.ts';
import { benchMemorySize } from './memory-size.ts';
import { benchPages } from './pages.ts';
import { benchReadAfterWrite } from './read-after-write.ts';
import { benchRebuild } from './rebuild.ts';
import { type Figure, log, machine, table, writeJson } from './report.ts';
import { benchTimeTravel } from './time-travel.ts';
import { benchWritesAndReads } from './writes-and-reads.ts';

type Group = (context: BenchContext) => Promise<Figure[]>;

/** In running order: the rebuild's seeding and the bundling come after the latency figures. */
const groups: Readonly<Record<string, Group>> = {
  writes: benchWritesAndReads,
  'read-after-write': benchReadAfterWrite,
  'time-travel': benchTimeTravel,
  pages: benchPages,
  contention: benchContention,
  rebuild: benchRebuild,
  'cold-start': benchColdStart,
  memory: benchMemorySize,
};

export async function runBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'string' }, only: { type: 'string' } },
  });
  const selected = values.only ? values.only.split(',') : Object.keys(groups);
  const unknown = selected.filter((name) => !(name in groups));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown group ${unknown.join(', ')}; groups: ${Object.keys(groups).join(', ')}`,
    );
  }
  const host = machine();
  const started = performance.now();
  const figures = await withStack(async (context) => {
    const collected: Figure[] = [];
    for (const name of selected) {
      const groupStarted = performance.now();
      collected.push(...(await (groups[name] as Group)(context)));
      log(`${name} done in ${seconds(groupStarted)} s`);
    }
    return collected;
  });
  const durationS = Number(seconds(started));
  const sorted = [...figures].sort(
    (a, b) => Number.parseInt(a.group, 10) - Number.parseInt(b.group, 10),
  );
  console.log(
    `\nconfig-ledger bench · ${host.cpus} CPUs (${host.cpuModel}), ${host.memoryGiB} GiB, ` +
      `Node ${host.node}, ${host.platform} · load average ${host.loadAverage1m} at start · ` +
      `${durationS} s\n`,
  );
  console.log(table(sorted));
  if (values.json) await writeJson(values.json, host, sorted, durationS);
}

async function withStack<T>(work: (context: BenchContext) => Promise<T>): Promise<T> {
  const config = configFromEnv({ ...process.env, DATA_DIR: ':memory:', PORT: '0' });
  const stack = await startLocalStack(config);
  const api = new BenchClient(stack.url);
  const dynamo = new DynamoDBClient({});
  try {
    return await work({
      stack,
      api,
      dynamo,
      tables: {
        events: tableNameOf(config, eventsTable),
        projection: tableNameOf(config, projectionTable),
      },
    });
  } finally {
    api.close();
    dynamo.destroy();
    await stack.stop();
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
