import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventsTable, projectionTable } from '#store/tables.ts';
import type { BenchContext } from './context.ts';
import { benchEvent, createTable, seedEvents } from './fixtures.ts';
import { budget, type Figure, figure, log } from './report.ts';

/**
 * Figure 7: rebuildProjection over 100,000 events (1,000 names × 100 versions) into an empty
 * projection, in a child process whose memory is measured; the floor is the same parallel scan,
 * bare. Whether memory grows with the number of events is read from the same rebuild over 50,000
 * and 10,000 events. A scan reads pages of up to 1 MB, one per segment at a time, so the peak is
 * bounded by the pages in flight once they are full: at 10,000 events every segment fits in one
 * half-full page, and up to about 50,000 V8 is still growing its heap to the allocation rate, so
 * only from 50,000 on do two runs compare like with like (300,000, measured once by hand, peaked
 * as 100,000 does).
 */

const names = 1000;
/** As the rebuild Lambda (functions/handlers/rebuild-projection.ts) runs it. */
const segments = 8;
const startMs = Date.parse('2025-01-01T00:00:00.000Z');
const mebibyte = 2 ** 20;

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

function* events(versions: number) {
  for (let name = 0; name < names; name++) {
    for (let version = 1; version <= versions; version++) {
      yield benchEvent(`bench.rebuild.${name}`, version, startMs + version * 1000);
    }
  }
}

async function seed(context: BenchContext, versions: number) {
  const tables = {
    events: `bench-rebuild-events-${versions}`,
    projection: `bench-rebuild-projection-${versions}`,
  };
  await createTable(context.dynamo, eventsTable, tables.events);
  await createTable(context.dynamo, projectionTable, tables.projection);
  const started = performance.now();
  const written = await seedEvents(context.dynamo, tables.events, events(versions));
  log(`seeded ${written} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return tables;
}

export async function benchRebuild(context: BenchContext): Promise<Figure[]> {
  const tables = {
    small: await seed(context, 10),
    medium: await seed(context, 50),
    large: await seed(context, 100),
  };
  const scan = await runWorker(context, 'scan', tables.large);
  const small = await runWorker(context, 'rebuild', tables.small);
  const medium = await runWorker(context, 'rebuild', tables.medium);
  const large = await runWorker(context, 'rebuild', tables.large);
  for (const [report, versions] of [
    [small, 10],
    [medium, 50],
    [large, 100],
  ] as const) {
    if (report.eventsRead !== names * versions) {
      throw new Error(`The rebuild read ${report.eventsRead} of ${names * versions} events.`);
    }
  }
  return figures(scan, { small, medium, large });
}

function figures(
  scan: WorkerReport,
  runs: Record<'small' | 'medium' | 'large', WorkerReport>,
): Figure[] {
  const { small, medium, large } = runs;
  const rate = (report: WorkerReport) => report.eventsRead / (report.durationMs / 1000);
  const mib = (bytes: number) => bytes / mebibyte;
  const rssGrowth = large.peakRss / medium.peakRss;
  const group = '7 rebuild';
  const peak = 'peak RSS, 100,000 events';
  return [
    figure(
      group,
      { label: 'rebuild 100,000 events / 1,000 names', value: rate(large), unit: 'events/s' },
      { label: `bare Scan, ${segments} segments`, value: rate(scan), unit: 'events/s' },
      budget.atLeast(rate(large), 20_000, 'events/s'),
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: '50,000 events', value: mib(medium.peakRss), unit: 'MB' },
      budget.ratioAtMost(rssGrowth, 1.25),
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: '10,000 events (pages not full)', value: mib(small.peakRss), unit: 'MB' },
    ),
    figure(
      group,
      { label: peak, value: mib(large.peakRss), unit: 'MB' },
      { label: 'bare Scan of them', value: mib(scan.peakRss), unit: 'MB' },
    ),
    figure(
      group,
      {
        label: 'peak heap used (sampled), 100,000 events',
        value: mib(large.peakHeapUsed),
        unit: 'MB',
      },
      { label: '50,000 events', value: mib(medium.peakHeapUsed), unit: 'MB' },
    ),
    figure(
      group,
      {
        label: 'heap retained after GC, 100,000 events',
        value: mib(large.retainedHeapUsed),
        unit: 'MB',
      },
      { label: '10,000 events', value: mib(small.retainedHeapUsed), unit: 'MB' },
    ),
    figure(group, {
      label: 'RSS at start (before the rebuild)',
      value: mib(large.baselineRss),
      unit: 'MB',
    }),
  ];
}

function runWorker(
  context: BenchContext,
  mode: 'rebuild' | 'scan',
  tables: { events: string; projection: string },
): Promise<WorkerReport> {
  const worker = fileURLToPath(new URL('./rebuild-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', worker], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: context.stack.engineEndpoint,
      BENCH_WORKER_MODE: mode,
      BENCH_EVENTS_TABLE: tables.events,
      BENCH_PROJECTION_TABLE: tables.projection,
      BENCH_SEGMENTS: String(segments),
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
