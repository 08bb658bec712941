import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  configFromEnv,
  localSnapshotStores,
  localStores,
  localTables,
  tableNameOf,
} from '#local/config.ts';
import type { Item } from '#local/item-size.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { historyTable, logTable, projectionTable, snapshotTable } from '#store/tables.ts';
import { benchColdStart } from './cold-start.ts';
import { benchContention } from './contention.ts';
import type { BenchContext } from './context.ts';
import { CostMeter } from './cost-meter.ts';
import { benchCosts } from './costs.ts';
import { benchFeed } from './feed.ts';
import { BenchClient } from './http-client.ts';
import { benchMemorySize } from './memory-size.ts';
import { benchPages } from './pages.ts';
import { ProjectorValve } from './projector-valve.ts';
import { benchPush } from './push.ts';
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
  feed: benchFeed,
  costs: benchCosts,
  push: benchPush,
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
  const config = configFromEnv({
    ...process.env,
    DATA_DIR: ':memory:',
    PORT: '0',
    PUSH_PORT: '0',
    // Snapshots are taken by the groups that measure them, at known points.
    SNAPSHOT_INTERVAL_MS: '3600000',
  });
  // Before the stack starts: its handlers' clients are counted as soon as they send.
  const meter = new CostMeter();
  for (const { definition, tableName } of localTables(config)) {
    meter.register(tableName, definition, definition.id.toLowerCase(), progressApart);
  }
  meter.install();
  const stack = await startLocalStack(config);
  const api = new BenchClient(stack.url);
  const dynamo = new DynamoDBClient({});
  try {
    return await work({
      stack,
      api,
      dynamo,
      tables: {
        log: tableNameOf(config, logTable),
        history: tableNameOf(config, historyTable),
        projection: tableNameOf(config, projectionTable),
        snapshots: tableNameOf(config, snapshotTable),
      },
      stores: localStores(dynamo, config),
      snapshots: localSnapshotStores(dynamo, config),
      valve: ProjectorValve.of(stack),
      meter,
    });
  } finally {
    api.close();
    dynamo.destroy();
    await stack.stop();
    meter.uninstall();
  }
}

/** The projector's progress is an item of the projection table: counted apart from the names. */
function progressApart(key: Item): string | undefined {
  return (key.view as { S?: string } | undefined)?.S === 'progress' ? 'progress' : undefined;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
