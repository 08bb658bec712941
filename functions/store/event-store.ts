import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConfigEvent } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { type EventItem, fromEventItem, toEventItem } from './event-codec.ts';
import { eventsTable } from './tables.ts';

export interface EventPage {
  readonly events: ConfigEvent[];
  /** Version of the last event returned, when more may follow. */
  readonly lastVersion?: number;
}

export interface ScanPage {
  readonly events: ConfigEvent[];
  readonly nextKey?: Record<string, unknown>;
}

const timeIndex = eventsTable.localIndexes[0].indexName;

/** Append-only access to the events table. Every read is strongly consistent. */
export class EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Writes the event unless its version is taken. Returns false when another writer got there
   * first: the caller decides again on the new head.
   */
  async append(event: ConfigEvent, options: { expiresAt?: number } = {}): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toEventItem(event, options.expiresAt),
          ConditionExpression: 'attribute_not_exists(#version)',
          ExpressionAttributeNames: { '#version': 'version' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The latest event of a name: since events carry whole states, the head is the fold. */
  readHead(name: string): Promise<ConfigEvent | undefined> {
    return this.newestMatching({ name });
  }

  /** One event of a name, by version. */
  readVersion(name: string, version: number): Promise<ConfigEvent | undefined> {
    return this.newestMatching({ name, condition: ['#sortKey = :bound', 'version', version] });
  }

  /** The latest event at or before an instant: one query on the time index, whatever the depth. */
  readAt(name: string, instant: Instant): Promise<ConfigEvent | undefined> {
    return this.newestMatching({
      name,
      indexName: timeIndex,
      condition: ['#sortKey <= :bound', 'occurredAt', instant],
    });
  }

  /** The newest event of a name whose sort key (table or time index) meets a condition. */
  private async newestMatching(query: {
    name: string;
    indexName?: string;
    condition?: readonly [expression: string, sortKey: string, bound: string | number];
  }): Promise<ConfigEvent | undefined> {
    const [expression, sortKey, bound] = query.condition ?? [];
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: query.indexName,
        KeyConditionExpression: expression ? `#name = :name AND ${expression}` : '#name = :name',
        ExpressionAttributeNames: { '#name': 'name', ...(sortKey ? { '#sortKey': sortKey } : {}) },
        ExpressionAttributeValues: {
          ':name': query.name,
          ...(bound === undefined ? {} : { ':bound': bound }),
        },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromEventItem(item) : undefined;
  }

  /** Events of a name in version order, starting after a version. */
  async readPage(name: string, limit: number, afterVersion = 0): Promise<EventPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#name = :name AND #version > :after',
        ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
        ExpressionAttributeValues: { ':name': name, ':after': afterVersion },
        // One extra item tells whether another page follows, so the last page has no token.
        Limit: limit + 1,
        ConsistentRead: true,
      }),
    );
    const items = result.Items ?? [];
    const events = items.slice(0, limit).map(fromEventItem);
    const more = items.length > limit || result.LastEvaluatedKey !== undefined;
    const last = events.at(-1);
    return more && last ? { events, lastVersion: last.version } : { events };
  }

  /** One page of one segment of a parallel scan over every event. */
  async scanSegment(
    segment: number,
    totalSegments: number,
    startKey?: Record<string, unknown>,
  ): Promise<ScanPage> {
    const result = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: segment,
        TotalSegments: totalSegments,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    const events = (result.Items ?? []).map((item: EventItem) => fromEventItem(item));
    return result.LastEvaluatedKey ? { events, nextKey: result.LastEvaluatedKey } : { events };
  }
}
