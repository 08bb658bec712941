import type { BenchContext } from './context.ts';
import { benchValue } from './fixtures.ts';
import { expectStatus, versionOf } from './http-client.ts';
import { budget, type Figure, figure } from './report.ts';
import { summarize, timed } from './stats.ts';

/**
 * Figure 4: how long after a PUT's response a GET (from the projection) returns the new version.
 * GETs follow one another with no pause, so the delay is measured to within one GET; the GET's
 * own latency, measured in the same loop, is the least delay there can be.
 */

const writes = 1000;
const warmup = 50;
const names = 20;
/** Far beyond any budget: a projection this late counts as lost, and the bench stops. */
const giveUpMs = 10_000;

export async function benchReadAfterWrite(context: BenchContext): Promise<Figure[]> {
  const delays: number[] = [];
  const getLatencies: number[] = [];
  let retried = 0;
  for (let index = 0; index < warmup + writes; index++) {
    const name = `bench.raw.${index % names}`;
    const put = expectStatus(
      await context.api.put(`/config/${name}`, { value: benchValue }),
      200,
      201,
    );
    const written = performance.now();
    const latencies = await readUntil(context, name, versionOf(put));
    if (index < warmup) continue;
    delays.push(performance.now() - written);
    getLatencies.push(...latencies);
    if (latencies.length > 1) retried++;
  }
  const delay = summarize(delays);
  const get = summarize(getLatencies);
  const group = '4 read-after-write';
  return [
    figure(
      group,
      { label: `delay over ${writes} writes, median`, value: delay.median, unit: 'ms' },
      { label: 'one GET, median', value: get.median, unit: 'ms' },
    ),
    figure(
      group,
      { label: 'delay, p99', value: delay.p99, unit: 'ms' },
      { label: 'one GET, p99', value: get.p99, unit: 'ms' },
      budget.atMost(delay.p99, 50, 'ms'),
    ),
    figure(
      group,
      { label: 'delay, max', value: delay.max, unit: 'ms' },
      { label: 'one GET, max', value: get.max, unit: 'ms' },
    ),
    figure(group, { label: 'writes not visible on the first GET', value: retried, unit: 'count' }),
  ];
}

/** GETs until the entry shows `version`; returns each GET's latency. */
async function readUntil(context: BenchContext, name: string, version: number) {
  const started = performance.now();
  const latencies: number[] = [];
  for (;;) {
    let seen = 0;
    latencies.push(
      await timed(async () => {
        const response = await context.api.get(`/config/${name}`);
        seen = response.status === 200 ? versionOf(response) : 0;
      }),
    );
    if (seen >= version) return latencies;
    if (performance.now() - started > giveUpMs) {
      throw new Error(`${name}@${version} was not projected within ${giveUpMs} ms.`);
    }
  }
}
