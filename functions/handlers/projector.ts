import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type {
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  DynamoDBStreamHandler,
} from 'aws-lambda';
import { advanceProgress, applyCommit } from '#app/projection.ts';
import type { Stores } from '#app/stores.ts';
import type { Commit } from '#domain/events.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { storesFromEnv } from '#store/runtime.ts';
import { commitFromStreamRecord } from '#store/stream-records.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Log stream → history and projection, then the projector's progress. Each record's commit is
 * applied on its own (idempotent writes); one that cannot be is reported as a batch item failure,
 * so the event source mapping retries from it and, past its retries, sends it to the dead-letter
 * destination. The progress only moves over commits applied without a gap: a batch that is late,
 * repeated, reordered or running beside another one is made whole from the log first.
 */
export const projectorOf =
  (stores: Stores): DynamoDBStreamHandler =>
  async (event, context) => {
    const applied: Commit[] = [];
    const projectRecord = async (record: DynamoDBRecord) => {
      const commit = commitFromStreamRecord(record);
      if (!commit) return;
      await applyCommit(stores, commit);
      applied.push(commit);
      logger.debug('Applied commit', {
        revision: commit.revision,
        // Names and versions only: values may be secrets.
        changes: commit.events.map((e) => `${e.name}@${e.version}`),
      });
    };
    const response = await processPartialResponse(event, projectRecord, processor, {
      context,
      processInParallel: false,
    });
    if (response.batchItemFailures.length === 0) await advanceProgress(stores, applied);
    return response;
  };

const project = projectorOf(storesFromEnv());

// The projector is async: it never calls back, so the callback it is given does nothing.
export const handler: DynamoDBStreamHandler = traced(
  async (event: DynamoDBStreamEvent, context: Context) => project(event, context, () => {}),
);
