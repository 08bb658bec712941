import type { Duration } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';
import { followLogStream } from './log-stream-consumer.ts';

export interface StreamProjectionProps {
  /** The table whose stream carries the commits: the log. */
  readonly logTable: LedgerTable;
  /** The function that applies them to the history and the projection. */
  readonly projector: LedgerFunction;
  /** @default 100 */
  readonly batchSize?: number;
  /**
   * Concurrent batches per stream shard.
   * @default 2
   */
  readonly parallelizationFactor?: number;
  /** Retries of a failing batch (bisected each time) before it goes to the dead letters. @default 10 */
  readonly retryAttempts?: number;
  /** Records older than this go to the dead letters unprocessed. @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
}

/**
 * Log stream → projector, with a dead-letter queue for what cannot be projected.
 *
 * Ordering: every commit has the log's one partition key, so even with a parallelization factor
 * above 1 Lambda hands them over in order, one batch at a time. The projector does not rely on
 * it: its writes are idempotent and revision-guarded, and it only moves its progress over
 * commits applied without a gap, reading any gap from the log itself; redelivery, bisection
 * retries, reordering and concurrent batches all converge on the same views. The next batch
 * (or a rebuild-projection run) applies whatever was dead-lettered.
 */
export class StreamProjection extends Construct {
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StreamProjectionProps) {
    super(scope, id);
    this.deadLetterQueue = followLogStream(this, props.logTable, props.projector, {
      ...props,
      parallelizationFactor: props.parallelizationFactor ?? 2,
    });
  }
}
