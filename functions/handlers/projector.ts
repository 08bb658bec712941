import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamHandler } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { feedStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';
import { eventFromStreamRecord } from '#store/stream-records.ts';

const projection = projectionStoreFromEnv();
const feed = feedStoreFromEnv();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function projectRecord(record: DynamoDBRecord): Promise<void> {
  const event = eventFromStreamRecord(record);
  if (!event) return;
  const [outcome, inFeed] = await Promise.all([projection.apply(event), feed.record(event)]);
  logger.debug('Projected event', { name: event.name, version: event.version, outcome, inFeed });
}

/**
 * Events-table stream → projection and change feed. A record that cannot be applied to both is
 * reported as a batch item failure, so the event source mapping retries from it and, past its
 * retries, sends it to the dead-letter destination; both writes are idempotent, so a retry after
 * one of them succeeded changes nothing twice. Records go one at a time, in stream order: the
 * projection's version guard would make parallel application correct too, but in order no work
 * is wasted on stale writes.
 */
export const handler: DynamoDBStreamHandler = async (event, context) =>
  processPartialResponse(event, projectRecord, processor, {
    context,
    processInParallel: false,
  });
