import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  auditLoad,
  type LoadAudit,
  noViolations,
  runContendedLoad,
  violationsOf,
} from '#test/load.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';

/**
 * `npm run soak`: the long variant of the contention and crash tests, on loopback. Sizes from
 * SOAK_CLIENTS (default 64) and SOAK_WRITES (default 10,000) over 8 names, half of the writes
 * guarded by expectedVersion; the crash run kills the stack with SIGKILL after a quarter of the writes were acknowledged.
 * Prints what it tried and found; exits 1 on any violation.
 */
const clients = Number(process.env.SOAK_CLIENTS ?? 64);
const writes = Number(process.env.SOAK_WRITES ?? 10_000);
const names = Array.from({ length: 8 }, (_, index) => `soak.name${index}`);
const env = { POWERTOOLS_LOG_LEVEL: 'WARN' };

async function steadyLoad(): Promise<LoadAudit & { durationMs: number }> {
  const stack = await startLocalStackProcess({
    DATA_DIR: await mkdtemp(join(tmpdir(), 'soak-')),
    ...env,
  });
  const started = performance.now();
  const outcomes = await runContendedLoad(stack.url, { clients, writes, names, guardedShare: 0.5 });
  const durationMs = Math.round(performance.now() - started);
  const audit = await auditLoad(stack.url, outcomes, names);
  await stack.stop();
  return { ...audit, durationMs };
}

async function crashedLoad(): Promise<LoadAudit> {
  const dataDir = await mkdtemp(join(tmpdir(), 'soak-crash-'));
  const stack = await startLocalStackProcess({ DATA_DIR: dataDir, ...env });
  let crashed: Promise<void> | undefined;
  const outcomes = await runContendedLoad(stack.url, {
    clients,
    writes,
    names,
    guardedShare: 0.5,
    onAcknowledged: (count) => {
      if (count === Math.floor(writes / 4)) crashed = stack.crash();
    },
  });
  await crashed;
  const restarted = await startLocalStackProcess({ DATA_DIR: dataDir, ...env });
  const audit = await auditLoad(restarted.url, outcomes, names);
  await restarted.stop();
  return audit;
}

const results = {
  clients,
  names: names.length,
  steady: await steadyLoad(),
  crash: await crashedLoad(),
};
console.log(JSON.stringify(results, null, 2));
const clean = [results.steady, results.crash].every((audit) =>
  isDeepStrictEqual(violationsOf(audit), noViolations),
);
process.exit(clean ? 0 : 1);
