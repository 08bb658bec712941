import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzz } from '#test/fuzz.ts';
import { apiClient } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';

/**
 * `npm run fuzz`: random requests against a fresh local stack on loopback, bounded by
 * FUZZ_REQUESTS (default 20,000) and FUZZ_SECONDS (default 120). Fails on any 5xx or crash.
 * FUZZ_SEED replays a run.
 */
const options = {
  seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
  maxRequests: Number(process.env.FUZZ_REQUESTS ?? 20_000),
  maxSeconds: Number(process.env.FUZZ_SECONDS ?? 120),
  concurrency: 8,
};

const stack = await startLocalStackProcess({
  DATA_DIR: await mkdtemp(join(tmpdir(), 'config-ledger-fuzz-')),
  POWERTOOLS_LOG_LEVEL: 'ERROR',
});
const report = await fuzz(stack.url, options);
const health = await apiClient(stack.url).get('/health');
const stillRunning = stack.child.exitCode === null;
const exitCode = await stack.stop();

console.log(
  JSON.stringify(
    {
      seed: report.seed,
      requestsTried: report.tried,
      unsendable: report.unsendable,
      durationMs: report.durationMs,
      byStatus: report.byStatus,
      serverErrors: report.serverErrors.length,
      healthAfter: health.status,
      crashed: !stillRunning || exitCode !== 0,
    },
    null,
    2,
  ),
);
for (const failure of report.serverErrors.slice(0, 10)) console.error(JSON.stringify(failure));
const failed =
  report.serverErrors.length > 0 || !stillRunning || exitCode !== 0 || health.status !== 200;
process.exit(failed ? 1 : 0);
