import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EntryState } from '#domain/entry.ts';
import type { ConfigEvent, Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { trustedJsonText } from '#domain/json.ts';
import { isSchemaEntryName } from '#domain/schema-target.ts';
import { awsLimits } from '#shared/aws-limits.ts';
import { type BatchRetryOptions, sendUntilProcessed } from './batch-retry.ts';

/** How far the projector has got: every commit up to `revision` is in the read model. */
export interface ProjectorProgress {
  readonly revision: Revision;
  /** When the commit at `revision` occurred; absent before the first commit. */
  readonly occurredAt?: Instant;
}

export interface StatePage {
  /** Every name in the page that ever existed, deleted ones too, in name order. */
  readonly states: EntryState[];
  /** The last name read, when more may follow. */
  readonly lastName?: string;
}

/** The partitions of the projection table; see projectionTable in tables.ts. */
const entries = 'entries';
/**
 * Schemas are entries of reserved names (see schema-target.ts) kept in a partition of their own,
 * so that listings, exports and diffs of the configuration never meet them.
 */
const schemas = 'schemas';
export type ProjectionView = typeof entries | typeof schemas;

function viewOf(name: string): ProjectionView {
  return isSchemaEntryName(name) ? schemas : entries;
}
const progress = 'progress';
const progressKey = { view: progress, name: 'projector' };

interface ProjectionItem {
  name: string;
  version: number;
  revision: number;
  value?: string;
  updatedAt: string;
  updatedBy: string;
  deleted: boolean;
  /** The head of the name's hash chain, which its next event chains to. */
  hash?: string;
}

/**
 * The read model: one item per name, moved forward only by newer revisions, and the projector's
 * progress. Every read is strongly consistent: readers combine items with the progress, and an
 * item older than the progress would make them wrong.
 */
export class ProjectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    /** How keys DynamoDB leaves unprocessed are asked again; tests pass a pause that returns at once. */
    private readonly batchRetry: BatchRetryOptions = {},
  ) {}

  /**
   * Applies an event only if it is newer than what is stored, so redelivered, replayed and
   * reordered events change nothing. A delete leaves a tombstone holding its version, so an older
   * event arriving late cannot bring the entry back, and listings at past revisions still see
   * the name.
   */
  async apply(event: ConfigEvent): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...updateFor(event) }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A name's projected state (a tombstone is a state without a current entry). */
  async get(name: string): Promise<EntryState | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { view: viewOf(name), name },
        ConsistentRead: true,
      }),
    );
    return result.Item ? toState(result.Item as ProjectionItem) : undefined;
  }

  /**
   * Several names' projected states in one BatchGetItem per 100 names (a write reads its name
   * and the schemas that may apply to it this way: one request, not one each).
   */
  async getMany(names: readonly string[]): Promise<Map<string, EntryState | undefined>> {
    const found = new Map<string, EntryState | undefined>(names.map((name) => [name, undefined]));
    for (let start = 0; start < names.length; start += awsLimits.dynamoBatchGetMaxItems) {
      const chunk = names.slice(start, start + awsLimits.dynamoBatchGetMaxItems);
      const keys = chunk.map((name): Record<string, unknown> => ({ view: viewOf(name), name }));
      await sendUntilProcessed(
        `BatchGetItem on ${this.tableName}`,
        keys,
        async (keysLeft) => {
          const result = await this.db.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: [...keysLeft], ConsistentRead: true } },
            }),
          );
          for (const item of result.Responses?.[this.tableName] ?? []) {
            found.set(String(item.name), toState(item as ProjectionItem));
          }
          return result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        },
        this.batchRetry,
      );
    }
    return found;
  }

  /** Names under a prefix after a name, in name order, with their projected states. */
  async page(
    prefix: string,
    limit: number,
    afterName?: string,
    view: ProjectionView = entries,
  ): Promise<StatePage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression:
          prefix === '' ? '#view = :view' : '#view = :view AND begins_with(#name, :prefix)',
        ExpressionAttributeNames: {
          '#view': 'view',
          ...(prefix === '' ? {} : { '#name': 'name' }),
        },
        ExpressionAttributeValues: {
          ':view': view,
          ...(prefix === '' ? {} : { ':prefix': prefix }),
        },
        ExclusiveStartKey: afterName === undefined ? undefined : { view, name: afterName },
        // One extra item tells whether another page follows, so the last page has no token.
        Limit: limit + 1,
        ConsistentRead: true,
      }),
    );
    const items = (result.Items ?? []) as ProjectionItem[];
    const states = items.slice(0, limit).map(toState);
    const more = items.length > limit || result.LastEvaluatedKey !== undefined;
    const last = states.at(-1);
    return more && last ? { states, lastName: last.name } : { states };
  }

  /** How far the projector has got; revision 0 before it has applied anything. */
  async progress(): Promise<ProjectorProgress> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: progressKey, ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item) return { revision: 0 };
    return { revision: Number(item.revision), occurredAt: String(item.occurredAt) };
  }

  /**
   * Moves the progress to `to`, only from exactly `from`: the caller has applied every commit in
   * between. False when the progress was elsewhere.
   */
  advanceProgress(from: Revision, to: ProjectorProgress): Promise<boolean> {
    return this.setProgress(
      to,
      from === 0 ? 'attribute_not_exists(#revision) OR #revision = :from' : '#revision = :from',
      { ':from': from },
    );
  }

  /**
   * Raises the progress to `to` unless it is already there or beyond. The caller has applied
   * every commit from the progress it last read up to `to`.
   */
  raiseProgress(to: ProjectorProgress): Promise<boolean> {
    return this.setProgress(to, 'attribute_not_exists(#revision) OR #revision < :to', {});
  }

  private async setProgress(
    to: ProjectorProgress,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: progressKey,
          UpdateExpression: 'SET #revision = :to, occurredAt = :at',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ...values, ':to': to.revision, ':at': to.occurredAt ?? '' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toState(item: ProjectionItem): EntryState {
  const base = {
    name: item.name,
    version: Number(item.version),
    revision: Number(item.revision),
    ...(typeof item.hash === 'string' ? { hash: item.hash } : {}),
  };
  if (item.deleted || item.value === undefined) return base;
  return {
    ...base,
    current: {
      ...base,
      value: trustedJsonText(item.value),
      updatedAt: item.updatedAt,
      updatedBy: item.updatedBy,
    },
  };
}

/** The conditional update that applies an event to its name's item. */
function updateFor(event: ConfigEvent) {
  const set = [
    '#version = :version',
    '#revision = :revision',
    'updatedAt = :at',
    'updatedBy = :actor',
    'deleted = :deleted',
  ];
  const values: Record<string, unknown> = {
    ':version': event.version,
    ':revision': event.revision,
    ':at': event.occurredAt,
    ':actor': event.actor,
    ':deleted': event.type === 'ConfigValueDeleted',
  };
  const removed: string[] = [];
  if (event.type === 'ConfigValueSet') {
    set.push('#value = :value');
    values[':value'] = event.value;
  } else removed.push('#value');
  if (event.hash === undefined) removed.push('#hash');
  else {
    set.push('#hash = :hash');
    values[':hash'] = event.hash;
  }
  return {
    Key: { view: viewOf(event.name), name: event.name },
    ConditionExpression: 'attribute_not_exists(#revision) OR #revision < :revision',
    UpdateExpression: `SET ${set.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''}`,
    ExpressionAttributeNames: {
      '#version': 'version',
      '#revision': 'revision',
      '#value': 'value',
      '#hash': 'hash',
    },
    ExpressionAttributeValues: values,
  };
}
