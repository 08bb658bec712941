import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeSink } from '#app/change-sink.ts';
import { publishBatch } from '#app/publishing.ts';
import { logger } from '#shared/logger.ts';
import { type AsyncLambda, traced } from '#shared/tracer.ts';
import { changeSinksFromEnv } from '#sinks/change-sinks.ts';
import { commitFromStreamRecord } from '#store/stream-records.ts';

export type StreamPublisher = AsyncLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>;

/**
 * Log stream → every change sink (EventBridge; on the local stack, a file), one event per
 * change, in revision order. Beside the projector, not in it: a sink that is down must never
 * hold back the projection and the reads. What could not be published is reported as batch item
 * failures from its first record, so the event source mapping retries from there (bisecting) and
 * nothing after it is announced first; past its retries, the batch goes to the dead letters.
 */
export const publisherOf =
  (sinks: readonly ChangeSink[]): StreamPublisher =>
  async (event) => {
    const outcome = await publishBatch(
      sinks,
      event.Records.map((record) => ({
        id: record.dynamodb?.SequenceNumber ?? '',
        commit: () => commitFromStreamRecord(record),
      })),
    );
    if (!outcome.failedFrom) {
      logger.debug('Published commits', { commits: outcome.commitsPublished });
      return { batchItemFailures: [] };
    }
    logger.error('Commits could not be published; the batch is retried from the first of them', {
      sequenceNumber: outcome.failedFrom.id,
      commitsPublished: outcome.commitsPublished,
      sinks: sinks.map((sink) => sink.name),
      error: outcome.failedFrom.error as Error,
    });
    return { batchItemFailures: [{ itemIdentifier: outcome.failedFrom.id }] };
  };

export const handler: StreamPublisher = traced(publisherOf(changeSinksFromEnv()));
