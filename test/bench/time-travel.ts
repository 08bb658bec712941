import { formatInstant } from '#domain/instant.ts';
import type { BenchContext } from './context.ts';
import { history, seedEvents } from './fixtures.ts';
import { bareReadAt } from './floor.ts';
import { expectStatus, versionOf } from './http-client.ts';
import { budget, type Figure, figure } from './report.ts';
import { median, sample } from './stats.ts';

/**
 * Figure 5: GET /config/{name}/at/{instant} on names with 10, 1,000 and 10,000 versions. Each
 * call asks for an instant between two versions, spread over the whole history, so a deep
 * history cannot hide behind its newest event. The bare index query on the same name and
 * instant is the floor.
 */

const depths = [10, 1_000, 10_000] as const;
const rounds = 4;
const perRound = 50;
const warmup = 20;
const startMs = Date.parse('2025-01-01T00:00:00.000Z');

export async function benchTimeTravel(context: BenchContext): Promise<Figure[]> {
  // Floor and API read the very same items: both query the stack's events table.
  for (const depth of depths) {
    await seedEvents(context.dynamo, context.tables.events, history(nameOf(depth), depth, startMs));
  }
  // The projector replays the seeded events; measuring starts once it is quiet.
  await context.stack.delivery.idle();
  const api = new Map<number, number[]>(depths.map((depth) => [depth, []]));
  const floor = new Map<number, number[]>(depths.map((depth) => [depth, []]));
  for (let round = 0; round <= rounds; round++) {
    const count = round === 0 ? warmup : perRound;
    for (const depth of depths) {
      const apiSamples = await sample(count, (index) => travel(context, depth, index));
      const floorSamples = await sample(count, (index) =>
        bareReadAt(
          context.dynamo,
          context.tables.events,
          nameOf(depth),
          instantOf(depth, index).instant,
        ),
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

/** The index-th instant asked for: half a second after a version, spread over the history. */
function instantOf(depth: number, index: number) {
  const version = 1 + Math.floor((((index % 10) + 0.5) / 10) * depth);
  return { version, instant: formatInstant(startMs + (version - 1) * 1000 + 500) };
}

async function travel(context: BenchContext, depth: number, index: number) {
  const { version, instant } = instantOf(depth, index);
  const response = expectStatus(
    await context.api.get(`/config/${nameOf(depth)}/at/${instant}`),
    200,
  );
  if (versionOf(response) !== version) {
    throw new Error(
      `Time travel to ${instant} returned version ${versionOf(response)}, not ${version}.`,
    );
  }
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
      { label: 'bare index Query', value: medianAt(floor, depth), unit: 'ms' },
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
