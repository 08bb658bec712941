import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2, DynamoDBRecord } from 'aws-lambda';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import { apiEvent } from '#test/api-events.ts';
import type { FunctionName } from '../../infra/cdk/function-catalog.ts';
import { bundleHandler } from './cold-start.ts';
import type { BenchContext } from './context.ts';
import { benchValue, createTable } from './fixtures.ts';
import { progressUpdate } from './floor.ts';
import { lambdaNodeBinary } from './lambda-node.ts';
import { functionEnvironment, loadModule, memoryOf, runtimeNodeFlags } from './lambda-process.ts';
import { lambdaUsd } from './prices.ts';
import { type Figure, figure } from './report.ts';
import { median } from './stats.ts';

/**
 * Figure 10, each function's memory size on paper. Lambda gives a function CPU in proportion to
 * its memory (1,769 MB is one vCPU), so a handler's duration at a size is its CPU time scaled by
 * that share plus the time it waits for DynamoDB, which no size changes. Here each handler's
 * deployed bundle runs warm in its own Node.js 22 process against the local stack's engine (so
 * that the engine's CPU is not counted), and the CPU time of each invocation is measured
 * (process.cpuUsage); the rest of its wall time is the wait. From those: the expected duration
 * and cost per million invocations at each size, and the size the rule below picks, checked
 * against infra/cdk/function-catalog.ts.
 */

const group = '10 memory';
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = join(projectRoot, 'node_modules/.cache');
const sizesMb = [128, 256, 512, 1024] as const;
const oneVcpuMb = 1769;
const warmUps = 30;
const invocations = 200;
/** The seeded entries that reads and lists find. */
const seeded = 100;

/**
 * The rule. CPU-bound work costs the same at every size (twice the memory, half the duration), so
 * a bigger size buys speed for free until the DynamoDB wait, billed at the size's rate, makes it
 * dear: the pick is the biggest size whose cost per invocation (requests included) stays within
 * `costMax` times the cheapest size's, among the sizes with room for the process (its resident
 * memory after the run, times `headroom`).
 */
const costMax = 1.5;
const headroom = 1.5;

type Measured = 'put-config' | 'get-config' | 'list-config' | 'projector';

interface WorkerReport {
  readonly init: { readonly cpuMs: number; readonly wallMs: number };
  readonly samples: readonly { readonly cpuMs: number; readonly wallMs: number }[];
  readonly rssMb: number;
}

export async function benchMemorySize(context: BenchContext): Promise<Figure[]> {
  const records = await seed(context);
  const stackTables = {
    [logTable.tableNameVariable]: context.tables.log,
    [historyTable.tableNameVariable]: context.tables.history,
    [projectionTable.tableNameVariable]: context.tables.projection,
  };
  const projectorTables = await projectorTablesFor(context, records);
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'config-ledger-memory-'));
  try {
    const node = await lambdaNodeBinary();
    // Reads find the seeded entries in the stack's tables. Writes go there too: a write reads the
    // log's tail after the projector's progress, so it needs the stack's projector keeping up.
    const runs: Record<Measured, { events: unknown[]; tables: Record<string, string> }> = {
      'put-config': {
        events: names('put', 20).map((name) => entryEvent('PUT', name)),
        tables: stackTables,
      },
      'get-config': {
        events: names('seed', seeded).map((name) => entryEvent('GET', name)),
        tables: stackTables,
      },
      'list-config': { events: [listEvent()], tables: stackTables },
      // One record per batch: what a steady trickle of writes gives the projector.
      projector: {
        events: records.map((record) => ({ Records: [record] })),
        tables: projectorTables,
      },
    };
    const rows: Figure[] = [];
    for (const [handler, { events, tables }] of Object.entries(runs)) {
      const report = await invokeWarm(node, context, outDir, handler, events, tables);
      rows.push(...sizeFigures(handler as Measured, report));
    }
    return rows;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function names(kind: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `bench.memory.${kind}.${index}`);
}

/**
 * Entries to read and list, and the stream records of one write per invocation of the projector
 * (the seeded names written over again), in revision order.
 */
async function seed(context: BenchContext): Promise<DynamoDBRecord[]> {
  await context.valve.idle();
  const captured: DynamoDBRecord[] = [];
  context.valve.tap((records) => captured.push(...records));
  try {
    for (let index = 0; index < warmUps + invocations; index++) {
      const name = `bench.memory.seed.${index % seeded}`;
      const response = await context.api.put(`/config/${name}`, { value: benchValue });
      if (response.status >= 300) throw new Error(`Seeding ${name}: ${response.text}`);
    }
  } finally {
    await context.valve.release();
  }
  return captured;
}

/**
 * The projector's process projects into empty history and projection tables (the stack's have
 * these commits already, and a write that finds its item up to date costs less), reading gaps
 * from the stack's log; its progress starts right before the first record, so that each record
 * moves it on as a trickle of writes does.
 */
async function projectorTablesFor(
  context: BenchContext,
  records: readonly DynamoDBRecord[],
): Promise<Record<string, string>> {
  const tables = { history: 'bench-memory-history', projection: 'bench-memory-projection' };
  await createTable(context.dynamo, historyTable, tables.history);
  await createTable(context.dynamo, projectionTable, tables.projection);
  const first = Number(records[0]?.dynamodb?.NewImage?.revision?.N);
  if (!Number.isInteger(first)) throw new Error('No commit was captured for the projector.');
  await context.dynamo.send(
    progressUpdate(tables.projection, {
      revision: { N: String(first - 1) },
      occurredAt: { S: new Date().toISOString() },
    }),
  );
  return {
    [logTable.tableNameVariable]: context.tables.log,
    [historyTable.tableNameVariable]: tables.history,
    [projectionTable.tableNameVariable]: tables.projection,
  };
}

/** A request on one entry: a PUT of the bench's value, or a GET. */
function entryEvent(method: 'PUT' | 'GET', name: string): APIGatewayProxyEventV2 {
  return apiEvent({
    method,
    routeKey: `${method} /config/{name}`,
    rawPath: `/config/${name}`,
    pathParameters: { name },
    body: method === 'PUT' ? JSON.stringify({ value: benchValue }) : undefined,
  });
}

/** A page of every seeded entry. */
function listEvent(): APIGatewayProxyEventV2 {
  return apiEvent({
    method: 'GET',
    routeKey: 'GET /config',
    rawPath: '/config',
    queryStringParameters: { prefix: 'bench.memory.seed.', limit: String(seeded) },
  });
}

/**
 * Imports the bundle, then invokes it with the events in turn: warm-ups first, then the measured
 * invocations. Prints a WorkerReport as its last line. A failed invocation fails the run: the
 * figures would be those of an error path.
 */
const workerScript = `${loadModule}
import { readFile } from 'node:fs/promises';
const events = JSON.parse(await readFile(process.env.BENCH_EVENTS, 'utf8'));
const cpuMs = (since) => { const used = process.cpuUsage(since); return (used.user + used.system) / 1000; };
const initCpu = process.cpuUsage();
const initStarted = performance.now();
const { handler } = await load();
const init = { cpuMs: cpuMs(initCpu), wallMs: performance.now() - initStarted };
const context = { functionName: 'bench', awsRequestId: 'bench', memoryLimitInMB: '1024',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench',
  getRemainingTimeInMillis: () => 30000 };
const samples = [];
const total = Number(process.env.BENCH_WARM_UPS) + Number(process.env.BENCH_INVOCATIONS);
for (let index = 0; index < total; index++) {
  const event = events[index % events.length];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await handler(event, context);
  const sample = { cpuMs: cpuMs(cpu), wallMs: performance.now() - started };
  if ((result?.statusCode ?? 200) >= 300 || result?.batchItemFailures?.length) {
    throw new Error('Invocation failed: ' + JSON.stringify(result).slice(0, 500));
  }
  if (index >= Number(process.env.BENCH_WARM_UPS)) samples.push(sample);
}
process.stdout.write('\\n' + JSON.stringify({ init, samples, rssMb: process.memoryUsage().rss / 1e6 }));`;

const run = promisify(execFile);

async function invokeWarm(
  node: string,
  context: BenchContext,
  outDir: string,
  handler: string,
  events: readonly unknown[],
  tables: Record<string, string>,
): Promise<WorkerReport> {
  const { file } = await bundleHandler(handler, join(outDir, handler));
  const eventsFile = join(outDir, `${handler}-events.json`);
  await writeFile(eventsFile, JSON.stringify(events));
  const flags = runtimeNodeFlags(memoryOf(handler as FunctionName));
  const { stdout } = await run(node, [...flags, '--input-type=module', '-e', workerScript], {
    env: {
      PATH: process.env.PATH,
      ...functionEnvironment,
      ...tables,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      AWS_ENDPOINT_URL_DYNAMODB: context.stack.engineEndpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      BENCH_MODULE: pathToFileURL(file).href,
      BENCH_EVENTS: eventsFile,
      BENCH_WARM_UPS: String(warmUps),
      BENCH_INVOCATIONS: String(invocations),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.split('\n').at(-1) ?? '') as WorkerReport;
}

/** Duration at a size: CPU time stretched by the size's share of a vCPU, plus the wait. */
function durationAt(sizeMb: number, cpuMs: number, waitMs: number): number {
  return cpuMs / Math.min(1, sizeMb / oneVcpuMb) + waitMs;
}

function usdPerMillion(sizeMb: number, durationMs: number): number {
  return lambdaUsd(sizeMb, durationMs) * 1e6;
}

function sizeFigures(handler: Measured, report: WorkerReport): Figure[] {
  const cpuMs = median(report.samples.map((sample) => sample.cpuMs));
  const wallMs = median(report.samples.map((sample) => sample.wallMs));
  const waitMs = Math.max(0, wallMs - cpuMs);
  const at = sizesMb.map((sizeMb) => {
    const durationMs = durationAt(sizeMb, cpuMs, waitMs);
    return {
      sizeMb,
      durationMs,
      usd: usdPerMillion(sizeMb, durationMs),
      // Loading the bundle is CPU work: a cold start is its CPU time at the size's share.
      coldStartMs: durationAt(sizeMb, report.init.cpuMs, 0),
      fits: sizeMb >= report.rssMb * headroom,
    };
  });
  const cheapest = Math.min(...at.filter((size) => size.fits).map((size) => size.usd));
  const picked = at.filter((size) => size.fits && size.usd <= cheapest * costMax).at(-1)?.sizeMb;
  const configured = memoryOf(handler as FunctionName);
  return [
    figure(
      group,
      { label: `${handler}: CPU per warm invocation here`, value: cpuMs, unit: 'ms' },
      { label: `its wall time (DynamoDB wait ${waitMs.toFixed(2)} ms)`, value: wallMs, unit: 'ms' },
    ),
    figure(
      group,
      { label: `${handler}: import CPU here (cold start)`, value: report.init.cpuMs, unit: 'ms' },
      { label: `resident after ${invocations} invocations`, value: report.rssMb, unit: 'MB' },
    ),
    ...at.map((size) =>
      figure(
        group,
        {
          label: `${handler} at ${size.sizeMb} MB: warm (cold start ${size.coldStartMs.toFixed(0)} ms)`,
          value: size.durationMs,
          unit: 'ms',
        },
        { label: 'per million invocations', value: size.usd, unit: 'USD' },
      ),
    ),
    figure(
      group,
      { label: `${handler}: memory in function-catalog.ts`, value: configured, unit: 'MB' },
      undefined,
      { text: `the rule's pick (${picked ?? 'none'} MB)`, met: configured === picked },
    ),
  ];
}
