import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import type { BenchContext } from './context.ts';
import { createTable, numbered, type SeedChange, seedLog } from './fixtures.ts';
import type { FloorTables } from './floor.ts';
import { budget, type Figure, figure, log } from './report.ts';

/**
 * Figure 7: the projector's catch-up from revision 0 (`catchUp(stores, { from: 0 })`, what the
 * rebuild function and `npm run rebuild` run) over a log of 100,000 commits of one change each
 * (1,000 names × 100 versions, interleaved as writes come), into empty history and projection
 * tables, in a child process whose memory is measured. The floor is the same calls bare: the log
 * read in the same pages, each change's history put and projection update, the progress once a
 * page. Whether memory grows with the log is read from the same catch-up over its first 50,000
 * and 10,000 commits.
 */

const names = 1000;
const versions = 100;
const commits = names * versions;
const startMs = Date.parse('2025-01-01T00:00:00.000Z');
const mebibyte = 2 ** 20;
const logName = 'bench-rebuild-log';

interface WorkerReport {
  readonly eventsRead: number;
  readonly durationMs: number;
  readonly baselineRss: number;
  readonly baselineHeapUsed: number;
  readonly peakRss: number;
  /** Sampled every few ms: approximate. */
  readonly peakHeapUsed: number;
  /** Heap in use after a full GC once the work is done: what the work left behind. */
  readonly retainedHeapUsed: number;
}

type Mode = 'rebuild' | 'floor';

/** Version after version, each of the names in turn: the first n commits hold every name. */
function* changes(): Generator<SeedChange> {
  for (let version = 1; version <= versions; version++) {
    for (let name = 0; name < names; name++) yield { name: `bench.rebuild.${name}`, version };
  }
}

async function seed(context: BenchContext) {
  await createTable(context.dynamo, logTable, logName);
  const started = performance.now();
  const written = await seedLog(context.dynamo, logName, numbered(changes(), 0, startMs));
  log(`seeded ${written} commits in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Empty history and projection tables for one run. */
async function emptyTables(context: BenchContext, run: string): Promise<FloorTables> {
  const tables = {
    log: logName,
    history: `bench-rebuild-history-${run}`,
    projection: `bench-rebuild-projection-${run}`,
  };
  await createTable(context.dynamo, historyTable, tables.history);
  await createTable(context.dynamo, projectionTable, tables.projection);
  return tables;
}

export async function benchRebuild(context: BenchContext): Promise<Figure[]> {
  await seed(context);
  const run = async (mode: Mode, through: number) =>
    runWorker(context, mode, through, await emptyTables(context, `${mode}-${through}`));
  const floor = await run('floor', commits);
  const small = await run('rebuild', 10_000);
  const medium = await run('rebuild', 50_000);
  const large = await run('rebuild', commits);
  for (const [report, expected] of [
    [floor, commits],
    [small, 10_000],
    [medium, 50_000],
    [large, commits],
  ] as const) {
    if (report.eventsRead !== expected) {
      throw new Error(`A run applied ${report.eventsRead} of ${expected} changes.`);
    }
  }
  return figures(floor, { small, medium, large });
}

function figures(
  floor: WorkerReport,
  runs: Record<'small' | 'medium' | 'large', WorkerReport>,
): Figure[] {
  const { small, medium, large } = runs;
  const rate = (report: WorkerReport) => report.eventsRead / (report.durationMs / 1000);
  const mib = (bytes: number) => bytes / mebibyte;
  const rssGrowth = large.peakRss / medium.peakRss;
  const group = '7 rebuild';
  const peak = 'peak RSS, 100,000 commits';
  return [
    figure(
      group,
      {
        label: 'catch-up from 0, 100,000 commits / 1,000 names',
        value: rate(large),
        unit: 'events/s',
      },
      { label: 'the same calls, bare', value: rate(floor), unit: 'events/s' },
      budget.atLeast(rate(large), 20_000, 'events/s'),
      { label: 'old design (docs/performance.md): parallel Scan', value: 25_888, unit: 'events/s' },
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: '50,000 commits', value: mib(medium.peakRss), unit: 'MB' },
      budget.ratioAtMost(rssGrowth, 1.25),
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: '10,000 commits', value: mib(small.peakRss), unit: 'MB' },
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: 'the same calls, bare', value: mib(floor.peakRss), unit: 'MB' },
    ),
    figure(
      group,
      {
        label: 'peak heap used (sampled), 100,000 commits',
        value: mib(large.peakHeapUsed),
        unit: 'MB',
      },
      { label: '50,000 commits', value: mib(medium.peakHeapUsed), unit: 'MB' },
    ),
    figure(
      group,
      {
        label: 'heap retained after GC, 100,000 commits',
        value: mib(large.retainedHeapUsed),
        unit: 'MB',
      },
      { label: '10,000 commits', value: mib(small.retainedHeapUsed), unit: 'MB' },
    ),
    figure(group, {
      label: 'RSS at start (before the catch-up)',
      value: mib(large.baselineRss),
      unit: 'MB',
    }),
  ];
}

function runWorker(
  context: BenchContext,
  mode: Mode,
  through: number,
  tables: FloorTables,
): Promise<WorkerReport> {
  const worker = fileURLToPath(new URL('./rebuild-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', worker], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: context.stack.engineEndpoint,
      BENCH_WORKER_MODE: mode,
      BENCH_THROUGH: String(through),
      BENCH_LOG_TABLE: tables.log,
      BENCH_HISTORY_TABLE: tables.history,
      BENCH_PROJECTION_TABLE: tables.projection,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output) as WorkerReport);
      else reject(new Error(`The ${mode} worker exited with ${code}: ${output}`));
    });
  });
}
