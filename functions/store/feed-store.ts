import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { isListedName } from '#domain/config-name.ts';
import type { ConfigEvent } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { fromEventItem, toEventItem } from './event-codec.ts';

/**
 * Where an event sits in the feed: `<occurredAt>#<name>#<version, 12 digits>`. A position need
 * not hold an item: a read resumes after it all the same (see positionFloor).
 */
export type FeedPosition = string;

export interface FeedEntry {
  readonly position: FeedPosition;
  readonly event: ConfigEvent;
}

/** The feed's only partition; see feedTable in tables.ts. */
const partition = 'all';

export function feedPosition(event: ConfigEvent): FeedPosition {
  return `${event.occurredAt}#${event.name}#${String(event.version).padStart(12, '0')}`;
}

/**
 * A bound at or above the position of every event that occurred at or before an instant: `~`
 * sorts above every character of a name, and instants are fixed width.
 */
export function positionCeiling(instant: Instant): FeedPosition {
  return `${instant}#~`;
}

/**
 * A bound above the position of every event that occurred before an instant and below that of
 * every event that occurred at or after it: the instant alone sorts before itself followed by
 * `#name#version`, and instants are fixed width.
 */
export function positionFloor(instant: Instant): FeedPosition {
  return instant;
}

/** The change feed: every configuration event, ordered by position in one partition. */
export class FeedStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Adds an event to the feed. A plain put of a key derived from the event, so a redelivered or
   * replayed event rewrites the same item. System entries (the health heartbeat) stay out:
   * returns false for them.
   */
  async record(event: ConfigEvent): Promise<boolean> {
    if (!isListedName(event.name)) return false;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...toEventItem(event), feed: partition, position: feedPosition(event) },
      }),
    );
    return true;
  }

  /**
   * Adds many events at once (a replay after a rebuild), 25 per request as DynamoDB allows,
   * retrying what it leaves unprocessed. As idempotent as `record`.
   */
  async recordAll(events: readonly ConfigEvent[]): Promise<number> {
    const items = events
      .filter((event) => isListedName(event.name))
      .map((event) => ({ ...toEventItem(event), feed: partition, position: feedPosition(event) }));
    for (let start = 0; start < items.length; start += 25) {
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
    return items.length;
  }

  /** When the newest event in the feed occurred; undefined for an empty feed. */
  async newestOccurredAt(): Promise<Instant | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#feed = :feed',
        ExpressionAttributeNames: { '#feed': 'feed' },
        ExpressionAttributeValues: { ':feed': partition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? String(item.occurredAt) : undefined;
  }

  /**
   * Up to `limit` events after a position (from the start without one) and at or below `until`,
   * in position order. Strongly consistent: what the projector wrote is there.
   */
  async readAfter(
    after: FeedPosition | undefined,
    until: FeedPosition,
    limit: number,
  ): Promise<FeedEntry[]> {
    // DynamoDB refuses a start key outside the queried range; nothing lies there anyway.
    if (after !== undefined && after >= until) return [];
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#feed = :feed AND #position <= :until',
        ExpressionAttributeNames: { '#feed': 'feed', '#position': 'position' },
        ExpressionAttributeValues: { ':feed': partition, ':until': until },
        // Resumes right after the cursor's position, whether or not an item holds it.
        ExclusiveStartKey: after === undefined ? undefined : { feed: partition, position: after },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return entriesOf(result.Items);
  }

  /**
   * Up to `limit` events from a position (inclusive) to `until`, in position order: one key
   * range, so a read from a recent position costs what it returns, however long the feed.
   */
  async readFrom(from: FeedPosition, until: FeedPosition, limit: number): Promise<FeedEntry[]> {
    // DynamoDB refuses a BETWEEN whose bounds are reversed; the range is empty anyway.
    if (from > until) return [];
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#feed = :feed AND #position BETWEEN :from AND :until',
        ExpressionAttributeNames: { '#feed': 'feed', '#position': 'position' },
        ExpressionAttributeValues: { ':feed': partition, ':from': from, ':until': until },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return entriesOf(result.Items);
  }
}

function entriesOf(items: readonly Record<string, unknown>[] | undefined): FeedEntry[] {
  return (items ?? []).map((item) => ({
    position: String(item.position),
    event: fromEventItem(item),
  }));
}
