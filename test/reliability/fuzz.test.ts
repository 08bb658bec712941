import { describe, expect, it } from 'vitest';
import { fuzz } from '#test/fuzz.ts';
import { apiClient } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

describe('Reliability: fuzzing the HTTP API (fast variant of npm run fuzz)', () => {
  it('answers 2,000 random requests without a 5xx or a crash', async () => {
    const stack = await startLocalStackProcess({
      DATA_DIR: await scratchDir('fuzz'),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    try {
      const report = await fuzz(stack.url, {
        seed: 20261127,
        maxRequests: 2000,
        maxSeconds: 60,
        concurrency: 8,
      });

      expect(report.serverErrors).toEqual([]);
      expect(report.tried).toBeGreaterThan(1500);
      expect((await apiClient(stack.url).get('/health')).status).toBe(200);
      expect(stack.child.exitCode).toBeNull();
    } finally {
      await stack.stop();
    }
  });
});
