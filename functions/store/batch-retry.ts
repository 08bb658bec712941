import { setTimeout as sleep } from 'node:timers/promises';
import { StorageBusyError } from '#domain/errors.ts';

export interface BatchRetryOptions {
  /** Rounds in all, the first included, before giving up. Default 8 (at most about 3.5 s of pauses). */
  readonly maxRounds?: number;
  /** The ceiling of the first pause; it doubles each round. Default 50 ms. */
  readonly baseDelayMs?: number;
  /** No pause is longer. Default 1 s. */
  readonly maxDelayMs?: number;
  /** Waits between rounds; tests pass one that records the pause and returns at once. */
  readonly pause?: (ms: number) => Promise<void>;
  /** A number in [0, 1); Math.random unless a test fixes it. */
  readonly random?: () => number;
}

/**
 * A batch call that still left work unprocessed after its last round: DynamoDB leaves work
 * unprocessed when it throttles, so clients get it as any throttling (503 storage_busy).
 */
export class UnprocessedBatchError extends StorageBusyError {
  constructor(
    readonly operation: string,
    readonly rounds: number,
    readonly unprocessed: number,
  ) {
    super(
      `${operation}: ${unprocessed} item(s) still unprocessed after ${rounds} rounds (the table is throttled). Retry after Retry-After.`,
    );
    this.name = 'UnprocessedBatchError';
  }
}

/**
 * Sends a DynamoDB batch (BatchGetItem, BatchWriteItem) until nothing is left unprocessed. Work
 * comes back unprocessed when the table is throttled, so asking again at once would be throttled
 * again: each later round sends only what was left, after a pause of full jitter, a random wait
 * between 0 and base × 2^round (capped), so that writers throttled together spread out.
 *
 * @param send sends one round and answers the work it left unprocessed (empty when done).
 */
export async function sendUntilProcessed<Work>(
  operation: string,
  work: readonly Work[],
  send: (work: readonly Work[]) => Promise<readonly Work[]>,
  options: BatchRetryOptions = {},
): Promise<void> {
  const maxRounds = options.maxRounds ?? 8;
  const pause = options.pause ?? ((ms: number) => sleep(ms));
  const random = options.random ?? Math.random;
  let left = work;
  for (let round = 0; left.length > 0; round += 1) {
    if (round >= maxRounds) throw new UnprocessedBatchError(operation, maxRounds, left.length);
    if (round > 0) await pause(random() * delayCeilingMs(round, options));
    left = await send(left);
  }
}

function delayCeilingMs(round: number, options: BatchRetryOptions): number {
  return Math.min(options.maxDelayMs ?? 1000, (options.baseDelayMs ?? 50) * 2 ** (round - 1));
}
