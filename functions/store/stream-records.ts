import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ConfigEvent } from '#domain/events.ts';
import { CorruptEventError, fromEventItem } from './event-codec.ts';

/**
 * The event an events-table stream record carries. Only inserts are events: the table is
 * append-only, and removals are heartbeat events expiring (TTL). Throws on a corrupt image, so
 * the record is reported as failed.
 */
export function eventFromStreamRecord(record: DynamoDBRecord): ConfigEvent | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image) {
    throw new CorruptEventError('Stream record has no new image: the stream must carry NEW_IMAGE.');
  }
  // The Lambda event types and the SDK describe the same wire format with different types.
  return fromEventItem(unmarshall(image as Record<string, AttributeValue>));
}
