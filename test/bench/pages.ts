import type { BenchContext } from './context.ts';
import { names, seedStack, versions } from './fixtures.ts';
import { bareHistoryPage, bareNamesPage, bareNewest, bareProgress, bareTail } from './floor.ts';
import { expectStatus } from './http-client.ts';
import { type Figure, figure } from './report.ts';
import { sample, summarize } from './stats.ts';

/**
 * Figure 6: a history page of 100 events and a list page of 100 entries, against their calls
 * bare. A history page reads as of the newest revision (the progress, then the log's tail) and
 * then the name's history; a list page finds the newest revision, waits for the projector's
 * progress to reach it, then reads a page of projected names.
 */

const pageSize = 100;
const rounds = 4;
const perRound = 50;
const warmup = 20;
const historyName = 'bench.history';
const listPrefix = 'bench.list.';

export async function benchPages(context: BenchContext): Promise<Figure[]> {
  const { dynamo, api, tables } = context;
  await seedStack(context, versions(historyName, 1000));
  await seedStack(context, names(listPrefix, 1000));
  const operations = {
    history: () => api.get(`/config/${historyName}/history?limit=${pageSize}`),
    historyFloor: async () => {
      const progress = await bareProgress(dynamo, tables.projection);
      await bareTail(dynamo, tables.log, progress);
      return bareHistoryPage(
        dynamo,
        tables.history,
        historyName,
        { after: 0, through: progress },
        pageSize,
      );
    },
    list: () => api.get(`/config?prefix=${listPrefix}&limit=${pageSize}`),
    listFloor: async () => {
      await bareNewest(dynamo, tables.log);
      await bareProgress(dynamo, tables.projection);
      return bareNamesPage(dynamo, tables.projection, listPrefix, pageSize);
    },
  };
  const samples = { history: [], historyFloor: [], list: [], listFloor: [] } as Record<
    keyof typeof operations,
    number[]
  >;
  for (let round = 0; round <= rounds; round++) {
    for (const [key, operation] of Object.entries(operations)) {
      const measured = await sample(round === 0 ? warmup : perRound, async () => {
        const result = await operation();
        if (!Array.isArray(result)) expectStatus(result, 200);
      });
      if (round > 0) samples[key as keyof typeof operations].push(...measured);
    }
  }
  return [
    ...rows(
      'history page (100 events)',
      'GetItem + Query + Query (Limit 101)',
      samples.history,
      samples.historyFloor,
    ),
    ...rows(
      'list page (100 entries)',
      'Query + GetItem + Query (Limit 101)',
      samples.list,
      samples.listFloor,
    ),
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
