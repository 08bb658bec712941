import type { BenchContext } from './context.ts';
import { benchEvent, history, seedEvents } from './fixtures.ts';
import { bareHistoryPage, bareListPage } from './floor.ts';
import { expectStatus } from './http-client.ts';
import { type Figure, figure } from './report.ts';
import { sample, summarize } from './stats.ts';

/** Figure 6: a history page of 100 events and a list page of 100 entries, against their query. */

const pageSize = 100;
const rounds = 4;
const perRound = 50;
const warmup = 20;
const historyName = 'bench.history';
const listPrefix = 'bench.list.';
const startMs = Date.parse('2025-01-01T00:00:00.000Z');

function* listedEntries() {
  for (let index = 0; index < 1000; index++) {
    yield benchEvent(`${listPrefix}${String(index).padStart(4, '0')}`, 1, startMs);
  }
}

export async function benchPages(context: BenchContext): Promise<Figure[]> {
  const { dynamo, api, tables } = context;
  await seedEvents(dynamo, tables.events, history(historyName, 1000, startMs));
  await seedEvents(dynamo, tables.events, listedEntries());
  await context.stack.delivery.idle();
  const operations = {
    history: () => api.get(`/config/${historyName}/history?limit=${pageSize}`),
    historyFloor: () => bareHistoryPage(dynamo, tables.events, historyName, pageSize),
    list: () => api.get(`/config?prefix=${listPrefix}&limit=${pageSize}`),
    listFloor: () => bareListPage(dynamo, tables.projection, listPrefix, pageSize),
  };
  const samples = { history: [], historyFloor: [], list: [], listFloor: [] } as Record<
    keyof typeof operations,
    number[]
  >;
  for (let round = 0; round <= rounds; round++) {
    for (const [key, operation] of Object.entries(operations)) {
      const measured = await sample(round === 0 ? warmup : perRound, async () => {
        const result = await operation();
        if (typeof result !== 'number') expectStatus(result, 200);
      });
      if (round > 0) samples[key as keyof typeof operations].push(...measured);
    }
  }
  return [
    ...rows(
      'history page (100 events)',
      'Query (Limit 101)',
      samples.history,
      samples.historyFloor,
    ),
    ...rows('list page (100 entries)', 'index Query (Limit 101)', samples.list, samples.listFloor),
  ];
}

function rows(what: string, floorLabel: string, api: number[], floor: number[]): Figure[] {
  const measured = summarize(api);
  const bare = summarize(floor);
  return [
    figure(
      '6 pages',
      { label: `${what}, median`, value: measured.median, unit: 'ms' },
      { label: floorLabel, value: bare.median, unit: 'ms' },
    ),
    figure(
      '6 pages',
      { label: `${what}, p99`, value: measured.p99, unit: 'ms' },
      { label: floorLabel, value: bare.p99, unit: 'ms' },
    ),
  ];
}
