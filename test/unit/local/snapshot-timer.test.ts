import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSnapshotTimer } from '#local/snapshot-timer.ts';

describe('The local snapshot schedule', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the taker once per interval', async () => {
    // Prepare
    const taker = vi.fn(async () => undefined);
    const timer = startSnapshotTimer(taker, 1000);

    // Act
    await vi.advanceTimersByTimeAsync(3500);
    await timer.stop();

    // Assess
    expect(taker).toHaveBeenCalledTimes(3);
  });

  it('never starts a run while one is in progress, as a slow snapshot outlasts the interval', async () => {
    // Prepare
    let finish: () => void = () => {};
    const taker = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const timer = startSnapshotTimer(taker, 1000);

    // Act
    await vi.advanceTimersByTimeAsync(5500);
    const whileRunning = taker.mock.calls.length;
    finish();
    await vi.advanceTimersByTimeAsync(1000);

    // Assess
    expect(whileRunning).toBe(1);
    expect(taker).toHaveBeenCalledTimes(2);
    finish();
    await timer.stop();
  });

  it('keeps running after a failed run, and stops only once the run in progress is over', async () => {
    // Prepare
    const taker = vi
      .fn()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValue(undefined);
    const failures: unknown[] = [];
    const timer = startSnapshotTimer(taker, 1000, (error) => failures.push(error));

    // Act
    await vi.advanceTimersByTimeAsync(2000);
    await timer.stop();
    await vi.advanceTimersByTimeAsync(5000);

    // Assess
    expect(taker).toHaveBeenCalledTimes(2);
    expect(failures).toEqual([new Error('throttled')]);
  });
});
