import { describe, expect, it } from 'vitest';
import { auditLoad, noViolations, runContendedLoad, violationsOf } from '#test/load.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

const names = Array.from({ length: 8 }, (_, index) => `load.name${index}`);
const dataDir = () => scratchDir('load');
const quiet = { POWERTOOLS_LOG_LEVEL: 'WARN' };
/**
 * What is specified is the outcome, not the speed: 32 clients contending for the one log of a
 * local stack on a busy 2-core machine may take minutes (the bench measures the speed).
 */
const patientMs = 600_000;

describe('Reliability: contention over HTTP', () => {
  it(
    '32 clients, 2,000 writes on 8 names, blind and guarded: nothing lost, no 5xx',
    async () => {
      const stack = await startLocalStackProcess({ DATA_DIR: await dataDir(), ...quiet });
      try {
        const outcomes = await runContendedLoad(stack.url, {
          clients: 32,
          writes: 2000,
          names,
          guardedShare: 0.5,
        });

        const audit = await auditLoad(stack.url, outcomes, names);

        expect(violationsOf(audit)).toEqual(noViolations);
        expect(audit.acknowledged + audit.conflicts).toBe(2000);
        const statuses = new Set(outcomes.map((outcome) => outcome.status));
        expect([...statuses].sort()).toEqual([200, 201, 409]);
      } finally {
        await stack.stop();
      }
    },
    patientMs,
  );

  it(
    'kill -9 in the middle of the load: every acknowledged write survives, exactly once',
    async () => {
      const directory = await dataDir();
      const stack = await startLocalStackProcess({ DATA_DIR: directory, ...quiet });
      let crashed: Promise<void> | undefined;
      const outcomes = await runContendedLoad(stack.url, {
        clients: 32,
        writes: 2000,
        names,
        guardedShare: 0.5,
        onAcknowledged: (count) => {
          if (count === 700) crashed = stack.crash();
        },
      });
      await crashed;
      const lost = outcomes.filter((outcome) => outcome.status === 0).length;
      expect(lost).toBeGreaterThan(0);

      const restarted = await startLocalStackProcess({ DATA_DIR: directory, ...quiet });
      try {
        const audit = await auditLoad(restarted.url, outcomes, names);

        expect(violationsOf(audit)).toEqual(noViolations);
        expect(audit.acknowledged).toBeGreaterThanOrEqual(700);
      } finally {
        await restarted.stop();
      }
    },
    patientMs,
  );
});
