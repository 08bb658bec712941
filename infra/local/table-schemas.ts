import type { EngineCall } from './engine-layers.ts';

export interface KeyNames {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface IndexSchema extends KeyNames {
  readonly indexName: string;
  /** ALL, KEYS_ONLY or INCLUDE (with `nonKeyAttributes`). */
  readonly projectionType: string;
  readonly nonKeyAttributes: readonly string[];
}

export interface TableSchema extends KeyNames {
  readonly localIndexes: readonly IndexSchema[];
  readonly globalIndexes: readonly IndexSchema[];
}

export type TableSchemaOf = (tableName: string) => Promise<TableSchema | undefined>;

interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

interface TableDescription {
  KeySchema: KeySchemaElement[];
  LocalSecondaryIndexes?: IndexDescription[];
  GlobalSecondaryIndexes?: IndexDescription[];
}

/**
 * Each table's keys and indexes as the engine describes them (so tables of any name are
 * covered, the tests' too), asked once per table and forgotten when the table changes.
 */
export class TableSchemas {
  private readonly known = new Map<string, Promise<TableSchema | undefined>>();

  constructor(private readonly engine: EngineCall) {}

  of(tableName: string): Promise<TableSchema | undefined> {
    let schema = this.known.get(tableName);
    if (!schema) {
      schema = this.describe(tableName);
      this.known.set(tableName, schema);
    }
    return schema;
  }

  forget(tableName: string): void {
    this.known.delete(tableName);
  }

  private async describe(tableName: string): Promise<TableSchema | undefined> {
    const answer = await this.engine({
      operation: 'DescribeTable',
      input: { TableName: tableName },
    });
    if (answer.statusCode !== 200) {
      this.known.delete(tableName);
      return undefined;
    }
    const table = (JSON.parse(answer.body) as { Table: TableDescription }).Table;
    return {
      ...keyNames(table.KeySchema),
      localIndexes: (table.LocalSecondaryIndexes ?? []).map(indexSchema),
      globalIndexes: (table.GlobalSecondaryIndexes ?? []).map(indexSchema),
    };
  }
}

function keyNames(keySchema: readonly KeySchemaElement[]): KeyNames {
  const sortKey = keySchema.find((key) => key.KeyType === 'RANGE')?.AttributeName;
  return {
    partitionKey: keySchema.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '',
    ...(sortKey ? { sortKey } : {}),
  };
}

function indexSchema(index: IndexDescription): IndexSchema {
  return {
    indexName: index.IndexName,
    ...keyNames(index.KeySchema),
    projectionType: index.Projection?.ProjectionType ?? 'ALL',
    nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [],
  };
}

/** The attributes of an item that make up its key in the table (or an index) and the table. */
export function keyAttributeNames(table: TableSchema, index?: IndexSchema): string[] {
  const names = [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey];
  return [...new Set(names.filter((name): name is string => Boolean(name)))];
}
