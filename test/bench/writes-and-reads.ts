import { eventsTable, projectionTable } from '#store/tables.ts';
import type { BenchContext } from './context.ts';
import { benchEvent, benchValue, createTable } from './fixtures.ts';
import { bareGet, bareProject, barePut, bareReadHead } from './floor.ts';
import { expectStatus } from './http-client.ts';
import { budget, type Figure, figure } from './report.ts';
import { sample, summarize } from './stats.ts';

/**
 * Figures 1–3: the storage floor, PUT against the floor of the calls a write makes (head Query
 * and conditional PutItem), GET against GetItem. On the local stack the projector runs in the
 * same process and applies every write with one more call (UpdateItem): that floor is measured
 * too, so that a PUT can also be read against everything a write costs there.
 */

const names = 100;
/** Floor and API alternate in short blocks, so that neither gets the quieter part of the run. */
const rounds = 10;
const perRound = 100;
/** Same definitions as the service's tables, but no stream: a bare write starts no projector. */
const floorTables = { events: 'bench-floor-events', projection: 'bench-floor-projection' };

interface Samples {
  head: number[];
  put: number[];
  project: number[];
  floorWrite: number[];
  floorWriteProjected: number[];
  apiPut: number[];
  getItem: number[];
  apiGet: number[];
}

function emptySamples(): Samples {
  return {
    head: [],
    put: [],
    project: [],
    floorWrite: [],
    floorWriteProjected: [],
    apiPut: [],
    getItem: [],
    apiGet: [],
  };
}

export async function benchWritesAndReads(context: BenchContext): Promise<Figure[]> {
  await createTable(context.dynamo, eventsTable, floorTables.events);
  await createTable(context.dynamo, projectionTable, floorTables.projection);
  await runRound(context, emptySamples(), perRound);
  const samples = emptySamples();
  for (let round = 0; round < rounds; round++) await runRound(context, samples, perRound);
  return figures(samples);
}

async function runRound(context: BenchContext, samples: Samples, count: number) {
  const { dynamo, api, tables } = context;
  for (let index = 0; index < count; index++) {
    const name = `floor.put.${index % names}`;
    const started = performance.now();
    const head = await bareReadHead(dynamo, floorTables.events, name);
    const queried = performance.now();
    const event = benchEvent(name, head + 1, Date.now());
    await barePut(dynamo, floorTables.events, event);
    const written = performance.now();
    await bareProject(dynamo, floorTables.projection, event);
    const projected = performance.now();
    samples.head.push(queried - started);
    samples.put.push(written - queried);
    samples.project.push(projected - written);
    samples.floorWrite.push(written - started);
    samples.floorWriteProjected.push(projected - started);
  }
  samples.apiPut.push(
    ...(await sample(count, async (index) =>
      expectStatus(await api.put(`/config/${apiName(index)}`, { value: benchValue }), 200, 201),
    )),
  );
  // The projector catches up before the next block: reads then find every entry, and its work
  // does not spill into the floor's timings.
  await context.stack.delivery.idle();
  samples.getItem.push(
    ...(await sample(count, (index) => bareGet(dynamo, tables.projection, apiName(index)))),
  );
  samples.apiGet.push(
    ...(await sample(count, async (index) =>
      expectStatus(await api.get(`/config/${apiName(index)}`), 200),
    )),
  );
}

function apiName(index: number): string {
  return `bench.put.${index % names}`;
}

function floorRows(samples: Samples): Figure[] {
  const put = summarize(samples.put);
  const getItem = summarize(samples.getItem);
  const floor = '1 floor';
  return [
    figure(floor, { label: 'conditional PutItem, median', value: put.median, unit: 'ms' }),
    figure(floor, { label: 'conditional PutItem, p99', value: put.p99, unit: 'ms' }),
    figure(floor, { label: 'GetItem (consistent), median', value: getItem.median, unit: 'ms' }),
    figure(floor, { label: 'GetItem (consistent), p99', value: getItem.p99, unit: 'ms' }),
    figure(floor, {
      label: 'head Query (Limit 1), median',
      value: summarize(samples.head).median,
      unit: 'ms',
    }),
    figure(floor, {
      label: "projector's UpdateItem, median",
      value: summarize(samples.project).median,
      unit: 'ms',
    }),
  ];
}

function figures(samples: Samples): Figure[] {
  const getItem = summarize(samples.getItem);
  const floorWrite = summarize(samples.floorWrite);
  const projected = summarize(samples.floorWriteProjected);
  const apiPut = summarize(samples.apiPut);
  const apiGet = summarize(samples.apiGet);
  const put = 'PUT /config/{name}';
  const get = 'GET /config/{name}';
  const writeFloor = 'head Query + PutItem';
  return [
    ...floorRows(samples),
    figure(
      '2 write',
      { label: `${put}, median`, value: apiPut.median, unit: 'ms' },
      { label: writeFloor, value: floorWrite.median, unit: 'ms' },
      budget.ratioAtMost(apiPut.median / floorWrite.median, 1.5),
    ),
    figure(
      '2 write',
      { label: `${put}, p99`, value: apiPut.p99, unit: 'ms' },
      { label: writeFloor, value: floorWrite.p99, unit: 'ms' },
    ),
    figure(
      '2 write',
      { label: `${put}, median`, value: apiPut.median, unit: 'ms' },
      { label: `${writeFloor} + UpdateItem`, value: projected.median, unit: 'ms' },
    ),
    figure(
      '3 read',
      { label: `${get}, median`, value: apiGet.median, unit: 'ms' },
      { label: 'GetItem', value: getItem.median, unit: 'ms' },
      budget.ratioAtMost(apiGet.median / getItem.median, 1.5),
    ),
    figure(
      '3 read',
      { label: `${get}, p99`, value: apiGet.p99, unit: 'ms' },
      { label: 'GetItem', value: getItem.p99, unit: 'ms' },
    ),
  ];
}
