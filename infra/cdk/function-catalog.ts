import type { HandlerName } from '#http/routes.ts';
import { eventsTable, projectionTable } from '#store/tables.ts';
import type { TableUse } from './ledger-function.ts';

/** Every function of the service: one per route handler, and the ones no route reaches. */
export type FunctionName =
  | HandlerName
  | 'route-not-found'
  | 'projector'
  | 'rebuild-projection'
  | 'canary';

export interface FunctionSpec {
  readonly description: string;
  /** What the function does with the events table. @default - never touches it */
  readonly events?: TableUse;
  /** What the function does with the projection table. @default - never touches it */
  readonly projection?: TableUse;
  /** What the function does with the idempotency table. @default - never touches it */
  readonly idempotency?: TableUse;
  /** What the function does with the change feed table. @default - never touches it */
  readonly feed?: TableUse;
  /** @default - the LedgerFunction default */
  readonly memorySize?: number;
  /** Variables the handler reads besides the table names. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
}

const timeIndex = eventsTable.localIndexes[0].indexName;
const listIndex = projectionTable.globalIndexes[0].indexName;
const namesIndex = projectionTable.globalIndexes[1].indexName;

/** Appending: the head, read strongly consistent, then a conditional put. */
const appendEvents: TableUse = { actions: ['dynamodb:Query', 'dynamodb:PutItem'] };
/** Powertools idempotency: reads, claims, completes and (on failure) releases a key's record. */
const idempotentWrites: TableUse = {
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};
/** History reads the table by version. */
const readHistory: TableUse = { actions: ['dynamodb:Query'] };
/** Time travel reads only the time index, by instant. */
const readAtInstant: TableUse = { queriedIndexes: [timeIndex] };

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
    events: appendEvents,
    idempotency: idempotentWrites,
  },
  'delete-config': {
    description: 'DELETE /config/{name}: deletes an entry.',
    events: appendEvents,
    idempotency: idempotentWrites,
  },
  'get-config': {
    description: 'GET /config/{name}: the current entry (projection, or events if consistent).',
    projection: { actions: ['dynamodb:GetItem'] },
    events: { actions: ['dynamodb:Query'] },
  },
  'list-config': {
    description: 'GET /config: live entries in name order, or every entry at an instant.',
    projection: { queriedIndexes: [listIndex, namesIndex] },
    events: { queriedIndexes: [timeIndex] },
  },
  'revert-config': {
    description: 'POST /config/{name}/revert: restores an earlier version as a new event.',
    events: appendEvents,
    idempotency: idempotentWrites,
  },
  'export-config': {
    description: 'GET /export: the whole configuration as one document.',
    projection: { queriedIndexes: [listIndex, namesIndex] },
    events: { queriedIndexes: [timeIndex] },
    memorySize: 1024,
  },
  'import-config': {
    description: 'POST /import: applies a document as ordinary events.',
    events: appendEvents,
    memorySize: 1024,
  },
  'get-config-diff': {
    description: 'GET /config/diff: which names changed between two instants.',
    events: { queriedIndexes: [timeIndex] },
    projection: { queriedIndexes: [namesIndex] },
  },
  'get-diff': {
    description: 'GET /config/{name}/diff: JSON Patch between two versions or instants.',
    events: { actions: ['dynamodb:Query'], queriedIndexes: [timeIndex] },
  },
  'get-history': { description: 'GET /config/{name}/history: every event.', events: readHistory },
  'get-at': {
    description: 'GET /config/{name}/at/{timestamp}: time travel.',
    events: readAtInstant,
  },
  health: {
    description: 'GET /health: both tables and the projection lag.',
    events: appendEvents,
    projection: { actions: ['dynamodb:GetItem'] },
    environment: { HEALTH_MAX_LAG_MS: '1000' },
  },
  'get-changes': {
    description: 'GET /changes: the changes of every name, in order, with a long poll.',
    feed: { actions: ['dynamodb:Query'] },
    // A long poll mostly waits, and waiting is billed by the size: the smallest with room.
    memorySize: 256,
    environment: { FEED_SETTLE_MS: '1000' },
  },
  'get-openapi': { description: 'GET /openapi.json: the OpenAPI 3.1 document of the API.' },
  'route-not-found': { description: 'The catch-all route: JSON 404 or 405.' },
  projector: {
    description: 'Events table stream → projection and change feed.',
    projection: { actions: ['dynamodb:UpdateItem'] },
    feed: { actions: ['dynamodb:PutItem'] },
  },
  'rebuild-projection': {
    description: 'Invoked by hand: replays every event into the projection and the change feed.',
    events: { actions: ['dynamodb:Scan'] },
    projection: { actions: ['dynamodb:UpdateItem'] },
    feed: { actions: ['dynamodb:BatchWriteItem'] },
    memorySize: 1024,
  },
  canary: {
    description: 'Every minute: measures the projection lag end to end, as a metric.',
    events: appendEvents,
    projection: { actions: ['dynamodb:GetItem'] },
    // It mostly waits for the projection, once a minute: latency matters less than the bill.
    memorySize: 256,
  },
};
