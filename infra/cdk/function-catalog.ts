import type { HandlerName } from '#http/routes.ts';
import type { TableUse } from './ledger-function.ts';

/** Every function of the service: one per route handler, and the ones no route reaches. */
export type FunctionName =
  | HandlerName
  | 'route-not-found'
  | 'projector'
  | 'publish-changes'
  | 'rebuild-projection'
  | 'canary'
  | 'take-snapshot';

export interface FunctionSpec {
  readonly description: string;
  /** What the function does with the log. @default - never touches it */
  readonly log?: TableUse;
  /** What the function does with the history table. @default - never touches it */
  readonly history?: TableUse;
  /** What the function does with the projection table. @default - never touches it */
  readonly projection?: TableUse;
  /** What the function does with the idempotency table. @default - never touches it */
  readonly idempotency?: TableUse;
  /** What the function does with the snapshots table. @default - never touches it */
  readonly snapshots?: TableUse;
  /** @default - the LedgerFunction default */
  readonly memorySize?: number;
  /** Variables the handler reads besides the table names. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Reading the log: its newest commits and the ones after a revision (Query), one commit (GetItem). */
const readLog: TableUse = { actions: ['dynamodb:Query', 'dynamodb:GetItem'] };
/** Committing: reading the log as above, then a conditional put at the next revision. */
const appendToLog: TableUse = {
  actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
};
/** A name's events, and its state at a revision. */
const readHistory: TableUse = { actions: ['dynamodb:Query'] };
/** The projector's progress and one name's projected state. */
const readProjectedNames: TableUse = { actions: ['dynamodb:GetItem'] };
/** The above, and pages of names in order. */
const listProjectedNames: TableUse = { actions: ['dynamodb:GetItem', 'dynamodb:Query'] };
/** Powertools idempotency: reads, claims, completes and (on failure) releases a key's record. */
const idempotentWrites: TableUse = {
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};
/**
 * The projected states of the names a write touches and of the schemas over them, in one
 * BatchGetItem (functions/app/ledger-view.ts), and the projector's progress.
 */
const readProjectedNamesTogether: TableUse = {
  actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
};
/** A write decides on the newest state: the log's tail, the projection and the history. */
const commits = { log: appendToLog, history: readHistory, projection: readProjectedNamesTogether };
/** An exact read of one name at any revision. */
const readsOneName = { log: readLog, history: readHistory, projection: readProjectedNames };
/** A read of many names at a revision the projector has reached. */
const readsManyNames = { log: readLog, history: readHistory, projection: listProjectedNames };
/** The projector's work: the log again where a batch left a gap, then both views. */
const projects = {
  log: { actions: ['dynamodb:Query'] },
  history: { actions: ['dynamodb:BatchWriteItem'] },
  projection: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
} satisfies Partial<FunctionSpec>;
/** The newest snapshot at or before a point (Query), then its parts (Query, GetItem). */
const readSnapshots: TableUse = { actions: ['dynamodb:Query', 'dynamodb:GetItem'] };
/** How far the projector lags: the newest commit, its progress and the oldest unapplied commit. */
const measuresLag = { log: readLog, projection: readProjectedNames };

/**
 * Who touches which table, and how: the one place that decides each function's permissions and
 * table variables. A handler throws at load when a table variable it needs is missing, and is
 * never given one it does not use.
 *
 * Memory, chosen by measurement (bench, figure 10; issue 14): Lambda gives CPU in proportion to
 * memory, so CPU-bound work costs the same at any size and only the time spent waiting (for
 * DynamoDB, for a long poll) costs more at a bigger one. Measured warm on Node.js 22, a PUT took
 * 5.4 ms of CPU and waited 10 ms, a GET 2.5 ms and 4.0 ms, a list page of 100 3.8 ms and 7.2 ms,
 * a projected record 4.7 ms and 6.3 ms, and loading a bundle 146-190 ms of CPU. At 1,024 MB a
 * PUT then takes about 19 ms and a cold start about 0.28 s, for USD 0.47 per million (requests
 * included); at 256 MB, 48 ms and 1.1 s for USD 0.36; a GET costs USD 0.32 against 0.27. So
 * every function gets the default 1,024 MB (defaultMemorySizeMb) but those that mostly wait.
 */
export const functionCatalog: Readonly<Record<FunctionName, FunctionSpec>> = {
  'put-config': {
    description: 'PUT /config/{name}: sets a value.',
    ...commits,
    idempotency: idempotentWrites,
  },
  'delete-config': {
    description: 'DELETE /config/{name}: deletes an entry.',
    ...commits,
    idempotency: idempotentWrites,
  },
  'get-config': {
    description: 'GET /config/{name}: the entry, as projected, as of now, or at a revision.',
    ...readsOneName,
  },
  'list-config': {
    description: 'GET /config: live entries in name order, now or at a revision or an instant.',
    ...readsManyNames,
  },
  'revert-config': {
    description: 'POST /config/{name}/revert: restores an earlier version as a new event.',
    ...commits,
    idempotency: idempotentWrites,
  },
  'export-config': {
    description: 'GET /export: the whole configuration as one document.',
    ...readsManyNames,
    // A past point: the snapshot before it and the log after it.
    snapshots: readSnapshots,
    memorySize: 1024,
  },
  'import-config': {
    description: 'POST /import: applies a document as ordinary events.',
    ...commits,
    memorySize: 1024,
  },
  'apply-changeset': {
    description: 'POST /changesets: applies operations on many names at one revision, or none.',
    ...commits,
    idempotency: idempotentWrites,
  },
  'get-config-diff': {
    description: 'GET /config/diff: which names changed between two points.',
    ...readsManyNames,
  },
  'get-diff': {
    description: 'GET /config/{name}/diff: JSON Patch between two versions or instants.',
    ...readsOneName,
  },
  'get-history': {
    description: 'GET /config/{name}/history: every event.',
    ...readsOneName,
  },
  'get-at': {
    description: 'GET /config/{name}/at/{timestamp}: time travel.',
    ...readsOneName,
  },
  health: {
    description: 'GET /health: both tables and the projection lag, reading only.',
    ...measuresLag,
    environment: { HEALTH_MAX_LAG_MS: '1000' },
  },
  'get-changes': {
    description: 'GET /changes: the changes of every name, in revision order, with a long poll.',
    log: readLog,
    // A long poll mostly waits, and waiting is billed by the size: the smallest with room.
    memorySize: 256,
  },
  'verify-log': {
    description: "GET /verify: recomputes a page of the log's hash chains and checks the history.",
    ...readsOneName,
    // A page holds up to 1000 commits of values up to 256 KiB each.
    memorySize: 1024,
  },
  'put-schema': {
    description: 'PUT /schemas/{target}: attaches a JSON Schema, after checking the entries.',
    ...commits,
    projection: {
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    },
  },
  'get-schema': {
    description: 'GET /schemas/{target}: the schema attached to a name or a prefix.',
    ...readsOneName,
    projection: readProjectedNamesTogether,
  },
  'list-schemas': {
    description: 'GET /schemas: every schema attached.',
    ...readsManyNames,
  },
  'delete-schema': {
    description: 'DELETE /schemas/{target}: detaches a schema.',
    ...commits,
  },
  'get-schema-history': {
    description: "GET /schemas/{target}/history: a target's schema versions.",
    ...readsOneName,
  },
  'get-openapi': { description: 'GET /openapi.json: the OpenAPI 3.1 document of the API.' },
  'route-not-found': { description: 'The catch-all route: JSON 404 or 405.' },
  projector: {
    description: 'Log stream → history and projection, then the progress.',
    ...projects,
  },
  'publish-changes': {
    // No table: the log's stream is all it reads, granted with its event source mapping, and
    // its sinks are granted by what owns them (change-events.ts).
    description: 'Log stream → EventBridge: one event per change, in revision order.',
    // It mostly waits for EventBridge.
    memorySize: 256,
  },
  'rebuild-projection': {
    description: 'Invoked by hand: applies the whole log again to the history and the projection.',
    ...projects,
    memorySize: 1024,
  },
  canary: {
    description: 'Every minute: measures the projection lag, as a metric. Reads only.',
    ...measuresLag,
    // Three small reads once a minute: latency matters less than the bill.
    memorySize: 256,
  },
  'take-snapshot': {
    description:
      'Every minute: snapshots the whole configuration once the commits since the last snapshot outnumber its entries.',
    log: readLog,
    snapshots: { actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'] },
  },
};
