import { formatInstant } from '#domain/instant.ts';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import type { BenchContext } from './context.ts';
import { benchCommit, benchValue, createTable } from './fixtures.ts';
import {
  bareAppend,
  bareEntry,
  bareProgress,
  bareProjectCommit,
  bareTail,
  type FloorTables,
} from './floor.ts';
import { expectStatus } from './http-client.ts';
import { budget, type Figure, figure } from './report.ts';
import { sample, summarize, timed } from './stats.ts';

/**
 * Figures 1–3: the storage floor, PUT against the floor of the calls a write makes, GET against
 * the floor of the calls a read makes. A write reads the projector's progress, then the log's
 * tail and the name's projected item at once, then appends its commit (functions/app/
 * commands.ts). On the local stack the projector runs in the same process: a PUT is measured
 * with the projector held back until its answer (the handler's own path, issue 14) and with the
 * projector running beside it (everything a write costs on one machine), each against its floor.
 */

const names = 100;
/** Floor and API alternate in short blocks, so that neither gets the quieter part of the run. */
const rounds = 10;
const perRound = 100;
/** Same definitions as the service's tables, but no stream: a bare write starts no projector. */
const floorTables: FloorTables = {
  log: 'bench-floor-log',
  history: 'bench-floor-history',
  projection: 'bench-floor-projection',
};

interface Samples {
  writePath: number[];
  projector: number[];
  writeWhole: number[];
  putHeld: number[];
  putWhole: number[];
  readPath: number[];
  apiGet: number[];
}

function emptySamples(): Samples {
  return {
    writePath: [],
    projector: [],
    writeWhole: [],
    putHeld: [],
    putWhole: [],
    readPath: [],
    apiGet: [],
  };
}

export async function benchWritesAndReads(context: BenchContext): Promise<Figure[]> {
  await createTable(context.dynamo, logTable, floorTables.log);
  await createTable(context.dynamo, historyTable, floorTables.history);
  await createTable(context.dynamo, projectionTable, floorTables.projection);
  await runRound(context, emptySamples(), perRound);
  const samples = emptySamples();
  for (let round = 0; round < rounds; round++) await runRound(context, samples, perRound);
  return figures(samples);
}

async function runRound(context: BenchContext, samples: Samples, count: number) {
  const { dynamo, api, valve } = context;
  for (let index = 0; index < count; index++) {
    const write = await floorWrite(context, `floor.put.${index % names}`);
    samples.writePath.push(write.path);
    samples.projector.push(write.projector);
    samples.writeWhole.push(write.path + write.projector);
  }
  const put = (index: number) => api.put(`/config/${apiName(index)}`, { value: benchValue });
  for (let index = 0; index < count; index++) {
    valve.hold();
    samples.putHeld.push(await timed(async () => expectStatus(await put(index), 200, 201)));
    await valve.release();
  }
  samples.putWhole.push(
    ...(await sample(count, async (index) => expectStatus(await put(index), 200, 201))),
  );
  // The projector catches up before the next block: reads then find every entry, and its work
  // does not spill into the floor's timings.
  await valve.idle();
  samples.readPath.push(
    ...(await sample(count, async (index) => {
      await bareProgress(dynamo, context.tables.projection);
      if (!(await bareEntry(dynamo, context.tables.projection, apiName(index)))) {
        throw new Error(`The floor read found no item for ${apiName(index)}.`);
      }
    })),
  );
  samples.apiGet.push(
    ...(await sample(count, async (index) =>
      expectStatus(await api.get(`/config/${apiName(index)}`), 200),
    )),
  );
}

/** A write's calls, bare: progress, then tail and item at once, then the append; then projected. */
async function floorWrite(context: BenchContext, name: string) {
  const { dynamo } = context;
  const started = performance.now();
  const progress = await bareProgress(dynamo, floorTables.projection);
  const [tail, item] = await Promise.all([
    bareTail(dynamo, floorTables.log, progress),
    bareEntry(dynamo, floorTables.projection, name),
  ]);
  const head = Number(tail.at(-1)?.revision?.N ?? progress);
  const version = Number(item?.version?.N ?? 0) + 1;
  const commit = benchCommit({ name, version }, head + 1, formatInstant(Date.now()));
  await bareAppend(dynamo, floorTables.log, commit);
  const appended = performance.now();
  await bareProjectCommit(dynamo, floorTables, commit);
  return { path: appended - started, projector: performance.now() - appended };
}

function apiName(index: number): string {
  return `bench.put.${index % names}`;
}

const writePathFloor = 'GetItem → Query ∥ GetItem → PutItem';
const projectorFloor = 'BatchWriteItem + UpdateItem + UpdateItem';
const readPathFloor = 'GetItem + GetItem';

function floorRows(samples: Samples): Figure[] {
  const path = summarize(samples.writePath);
  const read = summarize(samples.readPath);
  const floor = '1 floor';
  const ms = (label: string, value: number) => figure(floor, { label, value, unit: 'ms' });
  return [
    ms(`write path (${writePathFloor}), median`, path.median),
    ms('write path, p99', path.p99),
    ms(`projector's calls (${projectorFloor}), median`, summarize(samples.projector).median),
    ms(`read path (${readPathFloor}), median`, read.median),
    ms('read path, p99', read.p99),
  ];
}

function figures(samples: Samples): Figure[] {
  const path = summarize(samples.writePath);
  const whole = summarize(samples.writeWhole);
  const held = summarize(samples.putHeld);
  const running = summarize(samples.putWhole);
  const read = summarize(samples.readPath);
  const get = summarize(samples.apiGet);
  const put = 'PUT /config/{name}';
  const write = '2 write';
  return [
    ...floorRows(samples),
    figure(
      write,
      { label: `${put}, projector held back, median`, value: held.median, unit: 'ms' },
      { label: 'write path floor', value: path.median, unit: 'ms' },
      budget.ratioAtMost(held.median / path.median, 1.5),
    ),
    figure(
      write,
      { label: `${put}, projector held back, p99`, value: held.p99, unit: 'ms' },
      { label: 'write path floor', value: path.p99, unit: 'ms' },
    ),
    figure(
      write,
      { label: `${put}, projector running, median`, value: running.median, unit: 'ms' },
      { label: `write path + projector's calls`, value: whole.median, unit: 'ms' },
      budget.ratioAtMost(running.median / whole.median, 1.5),
    ),
    figure(
      write,
      { label: `${put}, projector running, p99`, value: running.p99, unit: 'ms' },
      { label: `write path + projector's calls`, value: whole.p99, unit: 'ms' },
    ),
    figure(
      '3 read',
      { label: 'GET /config/{name}, median', value: get.median, unit: 'ms' },
      { label: readPathFloor, value: read.median, unit: 'ms' },
      budget.ratioAtMost(get.median / read.median, 1.5),
    ),
    figure(
      '3 read',
      { label: 'GET /config/{name}, p99', value: get.p99, unit: 'ms' },
      { label: readPathFloor, value: read.p99, unit: 'ms' },
    ),
  ];
}
