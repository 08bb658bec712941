import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ConfigEvent, type Revision, storedEventSchema } from '#domain/events.ts';
import { awsLimits } from '#shared/aws-limits.ts';
import '#shared/zod-english.ts';
import { type BatchRetryOptions, sendUntilProcessed } from './batch-retry.ts';
import { CorruptCommitError } from './log-codec.ts';

export interface HistoryPage {
  readonly events: ConfigEvent[];
  /** Revision of the last event returned, when more may follow. */
  readonly lastRevision?: Revision;
}

/**
 * Every event by name and revision, written by the projector from the log. Within a name,
 * versions and revisions rise together, so the newest event at or before a revision is the
 * name's state there: one query, however long the history.
 */
export class HistoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    /** How items DynamoDB leaves unprocessed are written again; tests pass a pause that returns at once. */
    private readonly batchRetry: BatchRetryOptions = {},
  ) {}

  /** Writes events; a rewrite of the same event writes the same item, so replays change nothing. */
  async record(events: readonly ConfigEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += awsLimits.dynamoBatchWriteMaxItems) {
      const requests = events
        .slice(start, start + awsLimits.dynamoBatchWriteMaxItems)
        .map((event) => ({ PutRequest: { Item: { ...event } } }));
      await sendUntilProcessed(
        `BatchWriteItem on ${this.tableName}`,
        requests,
        async (requestsLeft) => {
          const result = await this.db.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: [...requestsLeft] } }),
          );
          return (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        },
        this.batchRetry,
      );
    }
  }

  /** The newest event of a name at or before a revision (any revision when absent). */
  async newestAtOrBefore(name: string, revision?: Revision): Promise<ConfigEvent | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression:
          revision === undefined ? '#name = :name' : '#name = :name AND #revision <= :revision',
        ExpressionAttributeNames: {
          '#name': 'name',
          ...(revision === undefined ? {} : { '#revision': 'revision' }),
        },
        ExpressionAttributeValues: {
          ':name': name,
          ...(revision === undefined ? {} : { ':revision': revision }),
        },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromHistoryItem(item) : undefined;
  }

  /** The first event of a name at or after a revision. */
  async oldestAtOrAfter(name: string, revision: Revision): Promise<ConfigEvent | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#name = :name AND #revision >= :revision',
        ExpressionAttributeNames: { '#name': 'name', '#revision': 'revision' },
        ExpressionAttributeValues: { ':name': name, ':revision': revision },
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromHistoryItem(item) : undefined;
  }

  /** Events of a name in order, after a revision and up to another one. */
  async page(
    name: string,
    range: { after: Revision; through: Revision },
    limit: number,
  ): Promise<HistoryPage> {
    if (range.through <= range.after) return { events: [] };
    const result = await this.db.send(
      new QueryCommand({
        ...this.between(name, range),
        // One extra item tells whether another page follows, so the last page has no token.
        Limit: limit + 1,
        ConsistentRead: true,
      }),
    );
    const items = result.Items ?? [];
    const events = items.slice(0, limit).map(fromHistoryItem);
    const more = items.length > limit || result.LastEvaluatedKey !== undefined;
    const last = events.at(-1);
    return more && last ? { events, lastRevision: last.revision } : { events };
  }

  /** A Query of a name's items after one revision and up to another. */
  private between(name: string, range: { after: Revision; through: Revision }) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: '#name = :name AND #revision BETWEEN :first AND :through',
      ExpressionAttributeNames: { '#name': 'name', '#revision': 'revision' },
      ExpressionAttributeValues: {
        ':name': name,
        ':first': range.after + 1,
        ':through': range.through,
      },
    };
  }

  /**
   * Every item of a name after a revision and up to another, as it stands, for verify: page after
   * page, and an item that is not an event handed back as such instead of throwing.
   */
  async itemsBetween(
    name: string,
    range: { after: Revision; through: Revision },
  ): Promise<Array<{ revision: Revision; event?: ConfigEvent; corrupt?: string }>> {
    if (range.through <= range.after) return [];
    const found: Array<{ revision: Revision; event?: ConfigEvent; corrupt?: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          ...this.between(name, range),
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of result.Items ?? []) {
        const revision = Number(item.revision);
        try {
          found.push({ revision, event: fromHistoryItem(item) });
        } catch (error) {
          found.push({ revision, corrupt: (error as Error).message });
        }
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /**
   * The event of a name with a given version, if it is at or before `through`. Versions and
   * revisions rise together within a name, so a binary search over revisions finds it in about
   * log2(through) single-item reads.
   */
  async withVersion(
    name: string,
    version: number,
    through: Revision,
  ): Promise<ConfigEvent | undefined> {
    // Version v of a name sits at revision v or later: each revision changes a name once.
    let low = version;
    let high = through;
    while (low <= high) {
      const middle = Math.floor((low + high) / 2);
      const event = await this.newestAtOrBefore(name, middle);
      if (event?.version === version) return event;
      if (event && event.version > version) {
        high = Math.min(middle, event.revision) - 1;
      } else {
        // The versions still missing need a revision each after this event's.
        const reached = event ? event.revision + (version - event.version) : version;
        low = Math.max(middle + 1, reached);
      }
    }
    return undefined;
  }
}

export function fromHistoryItem(item: Record<string, unknown>): ConfigEvent {
  const parsed = storedEventSchema.safeParse(item);
  if (!parsed.success) {
    throw new CorruptCommitError(
      `History item ${String(item.name)}@${String(item.revision)} is malformed: ${parsed.error.message}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
