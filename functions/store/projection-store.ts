import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isListedName } from '#domain/config-name.ts';
import type { LiveEntry } from '#domain/entry.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';
import { projectionTable } from './tables.ts';

export interface EntryPage {
  readonly entries: LiveEntry[];
  /** Name of the last entry returned, when more may follow. */
  readonly lastName?: string;
}

export type ApplyOutcome = 'applied' | 'stale';

const listIndex = projectionTable.globalIndexes[0].indexName;
const namesIndex = projectionTable.globalIndexes[1].indexName;
const listedPartition = 'entry';
const namedPartition = 'name';

interface ProjectionItem {
  name: string;
  version: number;
  value?: string;
  updatedAt: string;
  updatedBy: string;
  deleted: boolean;
}

/** The read model: one item per name, moved forward only by newer events. */
export class ProjectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Applies an event only if it is newer than what is stored, so redelivered, replayed and
   * reordered events change nothing. A delete leaves a tombstone holding its version, so an older
   * event arriving late cannot bring the entry back.
   */
  async apply(event: ConfigEvent): Promise<ApplyOutcome> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...updateFor(event) }));
      return 'applied';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  }

  /** The entry as projected, or undefined when absent or deleted. */
  async get(name: string): Promise<LiveEntry | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { name }, ConsistentRead: true }),
    );
    return result.Item ? toLiveEntry(result.Item as ProjectionItem) : undefined;
  }

  /** The version projected for a name, tombstones included; 0 when none. */
  async projectedVersion(name: string): Promise<number> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { name },
        ConsistentRead: true,
        ProjectionExpression: '#version',
        ExpressionAttributeNames: { '#version': 'version' },
      }),
    );
    return (result.Item?.version as number | undefined) ?? 0;
  }

  /** Live entries in name order, optionally under a prefix, starting after a name. */
  async list(prefix: string, limit: number, afterName?: string): Promise<EntryPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: listIndex,
        ...prefixCondition('listKey', listedPartition, prefix),
        ExclusiveStartKey:
          afterName === undefined ? undefined : { listKey: listedPartition, name: afterName },
        // One extra item tells whether another page follows, so the last page has no token.
        Limit: limit + 1,
      }),
    );
    const items = (result.Items ?? []) as ProjectionItem[];
    const entries = items.slice(0, limit).flatMap((item) => toLiveEntry(item) ?? []);
    const more = items.length > limit || result.LastEvaluatedKey !== undefined;
    const last = entries.at(-1);
    return more && last ? { entries, lastName: last.name } : { entries };
  }

  /** Every name that ever existed (deleted ones too) in name order, under a prefix. */
  async listNames(prefix: string, limit: number, afterName?: string): Promise<NamePage> {
    const condition = prefixCondition('namesKey', namedPartition, prefix);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: namesIndex,
        ...condition,
        ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#name': 'name' },
        ProjectionExpression: '#name',
        ExclusiveStartKey:
          afterName === undefined ? undefined : { namesKey: namedPartition, name: afterName },
        Limit: limit + 1,
      }),
    );
    const names = (result.Items ?? []).slice(0, limit).map((item) => String(item.name));
    const more = (result.Items?.length ?? 0) > limit || result.LastEvaluatedKey !== undefined;
    const last = names.at(-1);
    return more && last ? { names, lastName: last } : { names };
  }
}

function prefixCondition(partitionKey: string, partition: string, prefix: string) {
  return {
    KeyConditionExpression:
      prefix === ''
        ? '#partition = :partition'
        : '#partition = :partition AND begins_with(#name, :prefix)',
    ExpressionAttributeNames: {
      '#partition': partitionKey,
      ...(prefix === '' ? {} : { '#name': 'name' }),
    },
    ExpressionAttributeValues: {
      ':partition': partition,
      ...(prefix === '' ? {} : { ':prefix': prefix }),
    },
  };
}

export interface NamePage {
  readonly names: string[];
  readonly lastName?: string;
}

function toLiveEntry(item: ProjectionItem): LiveEntry | undefined {
  if (item.deleted || item.value === undefined) return undefined;
  return {
    name: item.name,
    value: trustedJsonText(item.value),
    version: item.version,
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy,
  };
}

/**
 * The conditional update that applies an event. Live entries carry `listKey` (listings),
 * every user-visible name carries `namesKey` (whole-configuration time travel); the heartbeat
 * carries neither.
 */
function updateFor(event: ConfigEvent) {
  const deleted = event.type === 'ConfigValueDeleted';
  const visible = isListedName(event.name);
  const set = [
    '#version = :version',
    'updatedAt = :at',
    'updatedBy = :actor',
    'deleted = :deleted',
  ];
  const remove: string[] = [];
  const values: Record<string, unknown> = {
    ':version': event.version,
    ':at': event.occurredAt,
    ':actor': event.actor,
    ':deleted': deleted,
  };
  if (event.type === 'ConfigValueSet') {
    set.push('#value = :value');
    values[':value'] = event.value;
  } else {
    remove.push('#value');
  }
  if (visible && !deleted) {
    set.push('#listKey = :listed');
    values[':listed'] = listedPartition;
  } else {
    remove.push('#listKey');
  }
  if (visible) {
    set.push('#namesKey = :named');
    values[':named'] = namedPartition;
  }
  return {
    Key: { name: event.name },
    ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ExpressionAttributeNames: {
      '#version': 'version',
      '#value': 'value',
      '#listKey': 'listKey',
      ...(visible ? { '#namesKey': 'namesKey' } : {}),
    },
    ExpressionAttributeValues: values,
  };
}
