import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '#cli/errors.ts';
import { maxRetries, parseRetryAfter, withRetries } from '#cli/retry.ts';

/** An attempt that fails with `errors` in turn, then answers 'done'; it counts its calls. */
function attempts(...errors: Error[]) {
  let calls = 0;
  const attempt = async () => {
    const error = errors[calls];
    calls += 1;
    if (error) throw error;
    return 'done';
  };
  return { attempt, calls: () => calls };
}

const busy = (retryAfterMs?: number) =>
  new ApiError(503, 'write_contention', 'Busy.', '{}', retryAfterMs);

describe('Module: retry', () => {
  describe('Function: withRetries', () => {
    it('sends again after the wait the API asked for, and returns the first answer that is not busy', async () => {
      const waits: number[] = [];
      const { attempt, calls } = attempts(busy(1000), busy(2000));

      const result = await withRetries(attempt, async (ms) => {
        waits.push(ms);
      });

      expect(result).toBe('done');
      expect(calls()).toBe(3);
      expect(waits).toEqual([1000, 2000]);
    });

    it(`gives up after ${maxRetries} retries with the last error`, async () => {
      const { attempt, calls } = attempts(...Array.from({ length: 10 }, () => busy(0)));

      await expect(withRetries(attempt, async () => {})).rejects.toThrow('Busy.');
      expect(calls()).toBe(maxRetries + 1);
    });

    it('waits at most 10 s, whatever Retry-After says', async () => {
      const waits: number[] = [];
      const { attempt } = attempts(busy(3_600_000));

      await withRetries(attempt, async (ms) => {
        waits.push(ms);
      });

      expect(waits).toEqual([10_000]);
    });

    it.each([
      ['a 503 without Retry-After', busy(undefined)],
      ['a 500 with Retry-After', new ApiError(500, 'internal_error', 'Oops.', '{}', 1000)],
      ['no answer at all', new NetworkError('Cannot reach.')],
    ])('fails at once on %s', async (_, error) => {
      const { attempt, calls } = attempts(error);

      await expect(withRetries(attempt, async () => {})).rejects.toBe(error);
      expect(calls()).toBe(1);
    });
  });

  describe('Function: parseRetryAfter', () => {
    it('reads seconds and HTTP dates, and nothing else', () => {
      const now = Date.parse('2026-11-28T10:00:00Z');

      expect(parseRetryAfter('1', now)).toBe(1000);
      expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:05 GMT', now)).toBe(5000);
      expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
      expect(parseRetryAfter('soon', now)).toBeUndefined();
      expect(parseRetryAfter(null, now)).toBeUndefined();
    });
  });
});
