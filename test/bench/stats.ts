/** Latency samples reduced to the figures the bench reports. */
export interface Summary {
  readonly count: number;
  readonly median: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('No samples to summarize.');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}

/** Milliseconds one call takes. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Runs `work` `count` times, one call after the other, and returns each call's milliseconds. */
export async function sample(
  count: number,
  work: (index: number) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) samples.push(await timed(() => work(index)));
  return samples;
}

/** Runs workers at once, each on its own index, and resolves when all are done. */
export async function concurrently(workers: number, work: (worker: number) => Promise<void>) {
  await Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));
}
