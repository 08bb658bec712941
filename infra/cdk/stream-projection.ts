import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';
import { wildcardResourceFinding } from './nag-findings.ts';

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
 * retries, reordering and concurrent batches all converge on the same views.
 */
export class StreamProjection extends Construct {
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StreamProjectionProps) {
    super(scope, id);
    // For a stream source, Lambda sends a description of the failed batch (shard, sequence
    // numbers), not the records: the commits themselves are safe in the log, and the next
    // batch (or a rebuild-projection run) applies whatever was dropped.
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the stream mapping: nothing consumes it, so it needs no dead-letter queue of its own.',
    });
    props.projector.function.addEventSource(
      new DynamoEventSource(props.logTable.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 100,
        parallelizationFactor: props.parallelizationFactor ?? 2,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Commits are only ever inserted; anything else was done by hand outside the service.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      }),
    );
    Validations.of(props.projector).acknowledge({
      id: wildcardResourceFinding('*'),
      reason:
        'dynamodb:ListStreams, which the event source mapping needs, has no resource-level permissions; every other stream action is granted on the log table stream ARN only.',
    });
  }
}
