import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Commit } from '#domain/events.ts';
import { CorruptCommitError, fromLogItem, logPartition } from './log-codec.ts';

/**
 * The commit a log-table stream record carries. The log is append-only: a new item of its
 * commits' partition is a commit; a removal (only by hand, outside the service) and the turn
 * counter's updates carry none. Throws on a corrupt image, so the
 * record is reported as failed.
 */
export function commitFromStreamRecord(record: DynamoDBRecord): Commit | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  // The turn counter shares the table: only items of the commits' partition are commits.
  if (record.dynamodb?.Keys?.log?.S !== logPartition) return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image) {
    throw new CorruptCommitError(
      'Stream record has no new image: the stream must carry NEW_IMAGE.',
    );
  }
  // The Lambda event types and the SDK describe the same wire format with different types.
  return fromLogItem(unmarshall(image as Record<string, AttributeValue>));
}
