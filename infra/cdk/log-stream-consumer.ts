import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';
import { wildcardResourceFinding } from './nag-findings.ts';

export interface LogStreamConsumerOptions {
  /** @default 100 */
  readonly batchSize?: number;
  /** Concurrent batches per stream shard. @default 1 */
  readonly parallelizationFactor?: number;
  /** Retries of a failing batch (bisected each time) before it goes to the dead letters. @default 10 */
  readonly retryAttempts?: number;
  /** Records older than this go to the dead letters unprocessed. @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
}

/**
 * Makes a function a reader of the log's stream, as every reader of it is: from the oldest
 * record, inserts only, failed records reported one by one and retried (bisected) a bounded
 * number of times, then described in a dead-letter queue (`DeadLetters` in `scope`), which it
 * returns. DynamoDB Streams serves at most two readers per shard without throttling them: the
 * projector and the publisher are those two.
 */
export function followLogStream(
  scope: Construct,
  logTable: LedgerTable,
  reader: LedgerFunction,
  options: LogStreamConsumerOptions = {},
): Queue {
  // For a stream source, Lambda sends a description of the failed batch (shard, sequence
  // numbers), not the records: the commits themselves are safe in the log.
  const deadLetterQueue = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the on-failure destination of the stream mapping: nothing consumes it, so it needs no dead-letter queue of its own.',
  });
  reader.function.addEventSource(
    new DynamoEventSource(logTable.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: options.batchSize ?? 100,
      parallelizationFactor: options.parallelizationFactor ?? 1,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: options.retryAttempts ?? 10,
      maxRecordAge: options.maxRecordAge ?? Duration.hours(6),
      onFailure: new SqsDlq(deadLetterQueue),
      // Commits are only ever inserted; anything else was done by hand outside the service.
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
    }),
  );
  Validations.of(reader).acknowledge({
    id: wildcardResourceFinding('*'),
    reason:
      'dynamodb:ListStreams, which the event source mapping needs, has no resource-level permissions; every other stream action is granted on the log table stream ARN only.',
  });
  return deadLetterQueue;
}
