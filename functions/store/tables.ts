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

/** The source of truth: one item per event, keyed by name and version. */
export const eventsTable = {
  id: 'Events',
  tableNameVariable: 'EVENTS_TABLE_NAME',
  defaultTableName: 'config-ledger-events',
  partitionKey: { name: 'name', type: 'S' },
  sortKey: { name: 'version', type: 'N' },
  // Time travel: the latest event of a name at or before an instant is one query on this index.
  localIndexes: [{ indexName: 'byOccurredAt', sortKey: { name: 'occurredAt', type: 'S' } }],
  globalIndexes: [],
  streamNewImages: true,
  // Only the health check's heartbeat events carry it; configuration events never expire.
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** The read model: one item per name, the state after its latest applied event. */
export const projectionTable = {
  id: 'Projection',
  tableNameVariable: 'PROJECTION_TABLE_NAME',
  defaultTableName: 'config-ledger-projection',
  partitionKey: { name: 'name', type: 'S' },
  localIndexes: [],
  // Listing in name order: live entries carry the constant `listKey`, tombstones and system
  // entries do not, so the index holds exactly what a listing shows (a sparse index).
  globalIndexes: [
    {
      indexName: 'byName',
      partitionKey: { name: 'listKey', type: 'S' },
      sortKey: { name: 'name', type: 'S' },
    },
    // Every name that ever existed, deleted ones too, in name order: whole-configuration time
    // travel walks it, so its cost grows with the number of names, not of events.
    {
      indexName: 'everyName',
      partitionKey: { name: 'namesKey', type: 'S' },
      sortKey: { name: 'name', type: 'S' },
    },
  ],
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
 * The change feed: every configuration event again, in one ordered partition, so that
 * `GET /changes` reads all names in order with one query. The projector writes it from the
 * events stream. The sort key `position` is `<occurredAt>#<name>#<version, 12 digits>`: time
 * order first, then name, then version (`#` sorts below every character a name may hold).
 */
export const feedTable = {
  id: 'Feed',
  tableNameVariable: 'FEED_TABLE_NAME',
  defaultTableName: 'config-ledger-feed',
  // One constant partition (`all`): a partition takes about 1,000 writes a second, far above
  // the rate at which configuration changes, and one partition keeps the whole feed in order.
  partitionKey: { name: 'feed', type: 'S' },
  sortKey: { name: 'position', type: 'S' },
  localIndexes: [],
  globalIndexes: [],
  streamNewImages: false,
} as const satisfies TableDefinition;

export const tableDefinitions: readonly TableDefinition[] = [
  eventsTable,
  projectionTable,
  idempotencyTable,
  feedTable,
];
