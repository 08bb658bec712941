import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { type SnapshotOutcome, takeSnapshotIfDue } from '#app/snapshotting.ts';
import type { FunctionName } from '../../infra/cdk/function-catalog.ts';
import type { BenchContext } from './context.ts';
import { benchValue, names, seedStack, versions } from './fixtures.ts';
import { expectStatus } from './http-client.ts';
import { memoryOf } from './lambda-process.ts';
import { apiRequestUsd, dynamoUsd, lambdaUsd, prices, secondsPerMonth } from './prices.ts';
import { type Budget, budget, type Figure, figure, type Measure } from './report.ts';
import { concurrently, median, sample, timed } from './stats.ts';
import { Tally } from './tally.ts';

/**
 * Figure 12, what each operation costs on AWS (issues 13 and 14; issue 11's cost of the order):
 * the DynamoDB requests each API operation makes on the local stack, counted by table and
 * operation, their capacity units by AWS's rules (cost-meter.ts, capacity.ts), and USD per
 * million operations at the prices in prices.ts: DynamoDB's units, the function's Lambda
 * request and its duration at its memory size (the duration measured here, on a machine faster to
 * reach its engine than DynamoDB is: a floor), and API Gateway's request. A PUT's cost includes
 * the projector's work for its change: alone in its batch (a trickle of writes), and one of 100.
 */

const group = '12 cost';
const repeats = 20;
const wholeRepeats = 3;
const batch = 100;
const watchers = 4;
const namesCount = 1000;
const namesPrefix = 'bench.cost.names.';
const historyName = 'bench.cost.history';
const issue = (number: number, value: number, unit: Measure['unit'], what = ''): Measure => ({
  label: `issue ${number}${what}`,
  value,
  unit,
});

interface UsdParts {
  readonly dynamo: number;
  readonly lambda: number;
  readonly api: number;
}

interface ReadOperation {
  readonly label: string;
  readonly fn: FunctionName;
  readonly path: string;
  readonly repeats: number;
  /** Units are reported per name of the answer. */
  readonly names?: number;
  readonly goal?: (unitsPerName: number) => Budget;
  readonly before?: Measure;
}

export async function benchCosts(context: BenchContext): Promise<Figure[]> {
  const { points, snapshotRows } = await seed(context);
  const rows = await putRows(context);
  rows.push(...snapshotRows);
  for (const operation of readOperations(points))
    rows.push(...(await readRows(context, operation)));
  rows.push(...(await pointWithoutSnapshotRows(context, points)));
  rows.push(...(await feedRows(context)), ...(await watcherRows(context)));
  return rows;
}

interface SeededPoints {
  /** The instant of the snapshot's revision: every name changed since. */
  readonly point: string;
  /** The instant just before the next snapshot is due: the snapshot and 999 commits after it. */
  readonly beforeNextSnapshot: string;
  readonly travel: string;
  /** The snapshot taken at `point`. */
  readonly snapshotRevision: number;
}

/**
 * 1,000 names at version 1, then each at version 2: a point between the two is one where every
 * name has changed since (the costliest whole configuration at a point). The snapshot taker
 * runs after each, as its schedule would. A name with 150 versions for history pages and time
 * travel.
 */
async function seed(context: BenchContext) {
  const first = await seedStack(context, names(namesPrefix, namesCount, 1));
  const taken = await context.meter.measure(() => takeSnapshotIfDue(context.snapshots));
  const idle = await context.meter.measure(() => takeSnapshotIfDue(context.snapshots));
  const second = await seedStack(context, names(namesPrefix, namesCount, 2));
  await takeSnapshotIfDue(context.snapshots);
  const history = await seedStack(context, versions(historyName, 150));
  const point = first.at(-1)?.occurredAt;
  const beforeNextSnapshot = second.at(-2)?.occurredAt;
  const travel = history[74]?.occurredAt;
  const snapshot = taken.result;
  if (!point || !beforeNextSnapshot || !travel || !snapshot.taken || idle.result.taken) {
    throw new Error('Seeding returned no commits, or the snapshots were not taken as planned.');
  }
  return {
    points: { point, beforeNextSnapshot, travel, snapshotRevision: snapshot.revision },
    snapshotRows: snapshotTakerRows({ result: snapshot, tally: taken.tally }, idle.tally),
  };
}

/** What the snapshot taker spends: a snapshot, per commit it covers, and a run with nothing due. */
function snapshotTakerRows(
  taken: { result: SnapshotOutcome & { taken: true }; tally: Tally },
  idle: Tally,
): Figure[] {
  const snapshot = taken.tally.totals(1);
  const { commitsFolded, entryCount, parts } = taken.result;
  const idleRun = idle.totals(1);
  const idleMonth =
    (secondsPerMonth / 60) *
    (dynamoUsd({ read: idleRun.readUnits, write: idleRun.writeUnits }) +
      lambdaUsd(memoryOf('take-snapshot'), 50));
  return [
    figure(group, {
      label: `a snapshot of ${entryCount} names in ${parts} parts (gzip), folding ${commitsFolded} commits: ${taken.tally.describe(1)}: write units (${(snapshot.writeUnits / commitsFolded).toFixed(3)} per commit it covers)`,
      value: snapshot.writeUnits,
      unit: 'WU',
    }),
    figure(group, {
      label: `the snapshot taker with nothing due: ${idle.describe(1)}: read units`,
      value: idleRun.readUnits,
      unit: 'RU',
    }),
    figure(group, {
      label:
        'the snapshot taker every minute for a month with nothing due (its reads, and a 50 ms Lambda request a run)',
      value: idleMonth,
      unit: 'USD',
    }),
  ];
}

function readOperations(points: SeededPoints): ReadOperation[] {
  const one = `${namesPrefix}0042`;
  const perName = (units: number) => budget.atMost(units, 0.6, 'RU');
  return [
    { label: 'GET (projected)', fn: 'get-config', path: `/config/${one}`, repeats },
    {
      label: 'GET ?consistent=true',
      fn: 'get-config',
      path: `/config/${one}?consistent=true`,
      repeats,
    },
    {
      label: 'list page of 100',
      fn: 'list-config',
      path: `/config?prefix=${namesPrefix}&limit=100`,
      repeats,
    },
    {
      label: 'history page of 100',
      fn: 'get-history',
      path: `/config/${historyName}/history?limit=100`,
      repeats,
    },
    {
      label: 'time travel of one name',
      fn: 'get-at',
      path: `/config/${historyName}/at/${points.travel}`,
      repeats,
    },
    {
      label: 'whole configuration at a snapshot, every name changed since (/export?at=)',
      fn: 'export-config',
      path: `/export?prefix=${namesPrefix}&at=${points.point}`,
      repeats: wholeRepeats,
      names: namesCount,
      goal: perName,
      before: issue(14, 1.052, 'RU'),
    },
    {
      label: `whole configuration ${namesCount - 1} commits after a snapshot (/export?at=), the most before the next is due`,
      fn: 'export-config',
      path: `/export?prefix=${namesPrefix}&at=${points.beforeNextSnapshot}`,
      repeats: wholeRepeats,
      names: namesCount,
      goal: perName,
      before: issue(14, 1.052, 'RU'),
    },
    {
      label: 'whole configuration at the newest point (/export)',
      fn: 'export-config',
      path: `/export?prefix=${namesPrefix}`,
      repeats: wholeRepeats,
      names: namesCount,
      goal: perName,
    },
  ];
}

/**
 * The same point with no snapshot before it (its manifest removed): the projection and each
 * changed name's history, as every read at a point was before snapshots. Last of the reads,
 * since the snapshot is gone after it.
 */
async function pointWithoutSnapshotRows(
  context: BenchContext,
  points: SeededPoints,
): Promise<Figure[]> {
  await context.dynamo.send(
    new DeleteItemCommand({
      TableName: context.tables.snapshots,
      Key: { series: { S: 'manifests' }, position: { N: String(points.snapshotRevision) } },
    }),
  );
  return readRows(context, {
    label: 'whole configuration at the same point without a snapshot: projection and history',
    fn: 'export-config',
    path: `/export?prefix=${namesPrefix}&at=${points.point}`,
    repeats: wholeRepeats,
    names: namesCount,
    before: issue(14, 1.052, 'RU'),
  });
}

/** A blind PUT: its own path with the projector held back, then the projector's work for it. */
async function putRows(context: BenchContext): Promise<Figure[]> {
  const { valve, meter } = context;
  const put = async (index: number) =>
    expectStatus(
      await context.api.put(`/config/bench.cost.put.${index % 10}`, { value: benchValue }),
      200,
      201,
    );
  await valve.idle();
  const putMs: number[] = [];
  const projectorMs: number[] = [];
  for (let index = 0; index < repeats; index++) {
    valve.hold();
    putMs.push(await timed(() => put(index)));
    projectorMs.push(await timed(() => valve.release()));
  }
  const path = new Tally();
  const alone = new Tally();
  for (let index = 0; index < repeats; index++) {
    valve.hold();
    path.absorb((await meter.measure(() => put(index))).tally);
    alone.absorb((await meter.measure(() => valve.release())).tally);
  }
  valve.hold();
  for (let index = 0; index < batch; index++) await put(index);
  const batched = (await meter.measure(() => valve.release())).tally;
  const durations = { put: median(putMs), projector: median(projectorMs) };
  return putFigures({ path, alone, batched }, durations);
}

function putFigures(
  tallies: { path: Tally; alone: Tally; batched: Tally },
  durationsMs: { put: number; projector: number },
): Figure[] {
  const { path, alone, batched } = tallies;
  const own = path.totals(repeats);
  const projectedAlone = alone.totals(repeats);
  const projectedInBatch = batched.totals(batch);
  const whole = own.writeUnits + projectedAlone.writeUnits;
  const wholeInBatch = own.writeUnits + projectedInBatch.writeUnits;
  const put = 'blind PUT of a 300 B value';
  const reads = path.requestsThat('read', repeats) + alone.requestsThat('read', repeats);
  const writes = path.requestsThat('write', repeats) + alone.requestsThat('write', repeats);
  const writesInBatch = path.requestsThat('write', repeats) + batched.requestsThat('write', batch);
  const usd = {
    dynamo: dynamoUsd({ read: own.readUnits + projectedAlone.readUnits, write: whole }),
    lambda:
      lambdaUsd(memoryOf('put-config'), durationsMs.put) +
      lambdaUsd(memoryOf('projector'), durationsMs.projector),
    api: apiRequestUsd,
  };
  return [
    figure(
      group,
      {
        label: `${put}, its own path: ${path.describe(repeats)}`,
        value: own.requests,
        unit: 'requests',
      },
      undefined,
      undefined,
      issue(11, 2, 'requests', ', old design: Query + PutItem'),
    ),
    figure(
      group,
      { label: `${put}, its own path: read units`, value: own.readUnits, unit: 'RU' },
      undefined,
      undefined,
      issue(11, 1, 'RU', ', old design: Query'),
    ),
    figure(group, {
      label: `projector, per change alone in its batch: ${alone.describe(repeats)}`,
      value: projectedAlone.writeUnits,
      unit: 'WU',
    }),
    figure(group, {
      label: `projector, per change in a batch of ${batch}: ${batched.describe(batch)}`,
      value: projectedInBatch.writeUnits,
      unit: 'WU',
    }),
    figure(
      group,
      { label: `${put}: write units in all (projected alone)`, value: whole, unit: 'WU' },
      { label: `in a batch of ${batch}`, value: wholeInBatch, unit: 'WU' },
      budget.atMost(whole, 4, 'WU'),
      issue(14, 6, 'WU'),
    ),
    figure(
      group,
      { label: 'what the order adds per write: read requests', value: reads - 1, unit: 'requests' },
      undefined,
      budget.atMost(reads - 1, 1, 'requests'),
      issue(11, 1, 'requests', ', old design: Query'),
    ),
    figure(
      group,
      {
        label: `what the order adds per write: write requests (projected alone; ${(writesInBatch - 3).toFixed(2)} in a batch of ${batch})`,
        value: writes - 3,
        unit: 'requests',
      },
      undefined,
      budget.atMost(writes - 3, 1, 'requests'),
      issue(14, 3, 'requests', ', old design: PutItem, UpdateItem, feed PutItem'),
    ),
    usdRow(`${put} (projected alone)`, usd),
  ];
}

async function readRows(context: BenchContext, operation: ReadOperation): Promise<Figure[]> {
  await context.valve.idle();
  const call = async () => expectStatus(await context.api.get(operation.path), 200);
  const durationMs = median(await sample(operation.repeats, call));
  const { tally } = await context.meter.measure(async () => {
    for (let index = 0; index < operation.repeats; index++) await call();
  });
  const perOperation = tally.totals(operation.repeats);
  const perName = operation.names ?? 1;
  const units = perOperation.readUnits / perName;
  return [
    figure(
      group,
      {
        label: `${operation.label}: ${tally.describe(operation.repeats)}: read units${perName > 1 ? ' per name' : ''}`,
        value: units,
        unit: 'RU',
      },
      undefined,
      operation.goal?.(units),
      operation.before,
    ),
    usdRow(operation.label, {
      dynamo: dynamoUsd({ read: perOperation.readUnits, write: perOperation.writeUnits }),
      lambda: lambdaUsd(memoryOf(operation.fn), durationMs),
      api: apiRequestUsd,
    }),
  ];
}

/** A feed read that finds one change: what a follower one change behind pays. */
async function feedRows(context: BenchContext): Promise<Figure[]> {
  const head = (await context.stores.log.newest())?.revision ?? 1;
  return readRows(context, {
    label: 'feed read of one change',
    fn: 'get-changes',
    path: `/changes?after=${head - 1}`,
    repeats,
  });
}

/**
 * Followers long-polling with nothing to receive (`wait=20`), as an idle watcher does all month.
 * Lambda bills the whole wait.
 */
async function watcherRows(context: BenchContext): Promise<Figure[]> {
  await context.valve.idle();
  const head = (await context.stores.log.newest())?.revision ?? 0;
  const waits: number[] = [];
  const { tally } = await context.meter.measure(() =>
    concurrently(watchers, async () => {
      waits.push(
        await timed(async () => {
          const response = await context.api.get(`/changes?after=${head}&wait=20`);
          if ((JSON.parse(expectStatus(response, 200).text) as { changes: [] }).changes.length) {
            throw new Error('An idle watcher received a change: something wrote meanwhile.');
          }
        }),
      );
    }),
  );
  const waitMs = waits.reduce((sum, each) => sum + each, 0) / waits.length;
  const poll = tally.totals(watchers);
  const pollsPerMonth = secondsPerMonth / (waitMs / 1000);
  const monthly = (usd: number) => usd * pollsPerMonth;
  const parts = {
    dynamo: monthly(dynamoUsd({ read: poll.readUnits, write: poll.writeUnits })),
    lambda: monthly(lambdaUsd(memoryOf('get-changes'), waitMs)),
    api: monthly(apiRequestUsd),
  };
  return [
    figure(group, {
      label: `idle watcher, one long poll (${(waitMs / 1000).toFixed(1)} s): ${tally.describe(watchers)}`,
      value: poll.readUnits,
      unit: 'RU',
    }),
    figure(
      group,
      {
        label: `idle watcher-month, ${Math.round(pollsPerMonth).toLocaleString('en-US')} long polls (${breakdown(parts, 1)})`,
        value: parts.dynamo + parts.lambda + parts.api,
        unit: 'USD',
      },
      undefined,
      budget.atMost(parts.dynamo + parts.lambda + parts.api, 0.01, 'USD'),
      issue(13, 10, 'USD', ', about'),
    ),
  ];
}

/** USD per million operations, with its parts in the label. */
function usdRow(what: string, parts: UsdParts): Figure {
  return figure(group, {
    label: `${what}: USD per million (${breakdown(parts, 1e6)})`,
    value: (parts.dynamo + parts.lambda + parts.api) * 1e6,
    unit: 'USD',
  });
}

function breakdown(parts: UsdParts, scale: number): string {
  const usd = (value: number) => {
    const scaled = value * scale;
    return scaled >= 1 ? scaled.toFixed(2) : scaled.toPrecision(2);
  };
  return `DynamoDB ${usd(parts.dynamo)}, Lambda ${usd(parts.lambda)}, API Gateway ${usd(parts.api)}; ${prices.region}`;
}
