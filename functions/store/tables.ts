/**
 * The tables, defined once. The CDK stack, the local stack and the tests build their tables from
 * these definitions, and the store layer reads their names from the environment variables named
 * here.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** What an index holds of each item besides the table's and the index's keys. */
export type IndexProjection =
  | { readonly type: 'ALL' }
  | { readonly type: 'KEYS_ONLY' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };

export interface IndexDefinition {
  readonly indexName: string;
  /** Global indexes only; a local index shares the table's partition key. */
  readonly partitionKey?: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /**
   * A local index's copy of an item counts toward the item's 400 KB: project less to store
   * larger items.
   * @default { type: 'ALL' }
   */
  readonly projection?: IndexProjection;
}

export interface TableDefinition {
  readonly id: string;
  /** Environment variable that carries the deployed table's name to the functions. */
  readonly tableNameVariable: string;
  readonly defaultTableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly localIndexes: readonly IndexDefinition[];
  readonly globalIndexes: readonly IndexDefinition[];
  readonly streamNewImages: boolean;
  readonly timeToLiveAttribute?: string;
}

/**
 * The source of truth: the log of commits, one item per revision, in one partition so that a
 * commit at revision n + 1 is a conditional put that only succeeds while n is the newest. Every
 * other table is projected from it and can be rebuilt from it. No index: an item collection with
 * a local index is capped at 10 GB, and the log must be able to grow without bound.
 */
export const logTable = {
  id: 'Log',
  tableNameVariable: 'LOG_TABLE_NAME',
  defaultTableName: 'config-ledger-log',
  // One constant partition (`all`): its sort key is the revision.
  partitionKey: { name: 'log', type: 'S' },
  sortKey: { name: 'revision', type: 'N' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: true,
} as const satisfies TableDefinition;

/**
 * Every event again, by name and revision, written by the projector: a name's history, its state
 * at any revision (one query), and the versions it had.
 */
export const historyTable = {
  id: 'History',
  tableNameVariable: 'HISTORY_TABLE_NAME',
  defaultTableName: 'config-ledger-history',
  partitionKey: { name: 'name', type: 'S' },
  sortKey: { name: 'revision', type: 'N' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: false,
} as const satisfies TableDefinition;

/**
 * The read model, written by the projector. Partition `entries` holds one item per name that
 * ever existed (deleted ones as tombstones), sorted by name, so a strongly consistent query lists
 * any prefix in order; partition `progress` holds how far the projector has got.
 */
export const projectionTable = {
  id: 'Projection',
  tableNameVariable: 'PROJECTION_TABLE_NAME',
  defaultTableName: 'config-ledger-projection',
  partitionKey: { name: 'view', type: 'S' },
  sortKey: { name: 'name', type: 'S' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: false,
} as const satisfies TableDefinition;

/**
 * Responses to writes sent with an Idempotency-Key, kept a day so a retried request gets the
 * original answer. Its layout is the one Powertools' idempotency utility uses by default.
 */
export const idempotencyTable = {
  id: 'Idempotency',
  tableNameVariable: 'IDEMPOTENCY_TABLE_NAME',
  defaultTableName: 'config-ledger-idempotency',
  partitionKey: { name: 'id', type: 'S' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: false,
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/**
 * The whole configuration at some revisions, each taken from the one before and the log after
 * it (functions/app/snapshotting.ts), so that the configuration at a past point is two reads of
 * about its size instead of one per name. Partition `manifests` holds one item per snapshot by
 * revision, written last; partition `parts/<revision>` holds that snapshot's entries, in parts by
 * name, numbered from 0. Nothing here is ever changed: it can be emptied and taken again.
 */
export const snapshotTable = {
  id: 'Snapshots',
  tableNameVariable: 'SNAPSHOT_TABLE_NAME',
  defaultTableName: 'config-ledger-snapshots',
  partitionKey: { name: 'series', type: 'S' },
  sortKey: { name: 'position', type: 'N' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: false,
} as const satisfies TableDefinition;

export const tableDefinitions: readonly TableDefinition[] = [
  logTable,
  historyTable,
  projectionTable,
  idempotencyTable,
  snapshotTable,
];
