import { stackLogger as logger } from './stack-logger.ts';

export interface SnapshotTimer {
  /** Waits for a run in progress, and runs no more. */
  stop(): Promise<void>;
}

/**
 * Runs the snapshot taker every `intervalMs`, as the schedule does on AWS: one run at a time, a
 * failed run logged and left to the next (a snapshot is whole or unread, so nothing is lost).
 */
export function startSnapshotTimer(
  takeSnapshot: () => Promise<unknown>,
  intervalMs: number,
  onFailure: (error: unknown) => void = logFailure,
): SnapshotTimer {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A run that outlasts the interval is not overlapped, as the next tick would be pointless.
    running ??= takeSnapshot()
      .then(() => undefined, onFailure)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  // The stack stops when asked, never kept up by its schedule.
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

function logFailure(error: unknown): void {
  logger.error('A snapshot could not be taken', { error: error as Error });
}
