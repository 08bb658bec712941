import type { BenchContext } from './context.ts';
import { type Seeded, seedStack, versions } from './fixtures.ts';
import { bareEntry, bareHistoryAt, bareNewest, bareProgress } from './floor.ts';
import { expectStatus, versionOf } from './http-client.ts';
import { budget, type Figure, figure } from './report.ts';
import { median, sample } from './stats.ts';

/**
 * Figure 5: GET /config/{name}/at/{instant} on names with 10, 1,000 and 10,000 versions. Each
 * call asks for the instant of a version spread over the whole history, so a deep history cannot
 * hide behind its newest event. The read: the newest commit, the revision current at the instant
 * (a binary search over the log whose probes the function remembers, so after the warm-up it
 * reads nothing), the projector's progress, the name's projected item (newer than the instant)
 * and the name's history at that revision. The floor is those four calls, bare.
 */

const depths = [10, 1_000, 10_000] as const;
const rounds = 4;
const perRound = 50;
const warmup = 20;

export async function benchTimeTravel(context: BenchContext): Promise<Figure[]> {
  const seeded = new Map<number, Seeded[]>();
  for (const depth of depths)
    seeded.set(depth, await seedStack(context, versions(nameOf(depth), depth)));
  const api = new Map<number, number[]>(depths.map((depth) => [depth, []]));
  const floor = new Map<number, number[]>(depths.map((depth) => [depth, []]));
  for (let round = 0; round <= rounds; round++) {
    const count = round === 0 ? warmup : perRound;
    for (const depth of depths) {
      const history = seeded.get(depth) ?? [];
      const apiSamples = await sample(count, (index) => travel(context, pick(history, index)));
      const floorSamples = await sample(count, (index) =>
        bareTravel(context, pick(history, index)),
      );
      if (round === 0) continue;
      api.get(depth)?.push(...apiSamples);
      floor.get(depth)?.push(...floorSamples);
    }
  }
  return figures(api, floor);
}

function nameOf(depth: number): string {
  return `bench.travel.${depth}`;
}

/** The index-th version asked for: one of ten spread over the history, never the newest. */
function pick(history: readonly Seeded[], index: number): Seeded {
  const position = Math.floor((((index % 10) + 0.5) / 10) * (history.length - 1));
  const version = history[position];
  if (!version) throw new Error('Nothing was seeded to travel to.');
  return version;
}

async function travel(context: BenchContext, version: Seeded) {
  const response = expectStatus(
    await context.api.get(`/config/${version.name}/at/${version.occurredAt}`),
    200,
  );
  if (versionOf(response) !== version.version) {
    throw new Error(
      `Time travel to ${version.occurredAt} returned version ${versionOf(response)}, not ${version.version}.`,
    );
  }
}

async function bareTravel(context: BenchContext, version: Seeded) {
  const { dynamo, tables } = context;
  await bareNewest(dynamo, tables.log);
  await bareProgress(dynamo, tables.projection);
  await bareEntry(dynamo, tables.projection, version.name);
  await bareHistoryAt(dynamo, tables.history, version.name, version.revision);
}

function figures(api: Map<number, number[]>, floor: Map<number, number[]>): Figure[] {
  const group = '5 time travel';
  const medianAt = (samples: Map<number, number[]>, depth: number) =>
    median(samples.get(depth) ?? []);
  const rows = depths.map((depth) =>
    figure(
      group,
      {
        label: `GET …/at/{instant}, ${depth.toLocaleString('en-US')} versions, median`,
        value: medianAt(api, depth),
        unit: 'ms',
      },
      { label: 'Query + GetItem + GetItem + Query', value: medianAt(floor, depth), unit: 'ms' },
    ),
  );
  const deepest = depths[depths.length - 1] ?? 0;
  const shallowest = depths[0];
  const apiFlatness = medianAt(api, deepest) / medianAt(api, shallowest);
  const floorFlatness = medianAt(floor, deepest) / medianAt(floor, shallowest);
  return [
    ...rows,
    figure(
      group,
      { label: 'deepest / shallowest (API)', value: apiFlatness, unit: '×' },
      { label: 'deepest / shallowest (floor)', value: floorFlatness, unit: '×' },
      budget.atMost(apiFlatness, 1.3, '×'),
    ),
  ];
}
