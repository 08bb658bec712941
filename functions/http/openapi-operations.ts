import type * as z from 'zod/mini';
import * as contract from './contract.ts';
import type { ErrorCode } from './openapi-errors.ts';
import type { RequestHeader, ResponseHeader } from './openapi-headers.ts';
import * as responses from './response-schemas.ts';
import type { HandlerName } from './routes.ts';
import * as schemaContract from './schema-contract.ts';

/**
 * What each operation takes and answers, read from its handler and what the handler calls:
 * which errors can reach it, which headers it reads and sends. The document is built from this
 * table, the route table and the zod schemas.
 */

export interface Success {
  readonly description: string;
  /** One schema, or several the answer is exactly one of; none for a 304. */
  readonly body?: z.core.$ZodType | readonly z.core.$ZodType[];
  /** `ETag`: on every such answer, or only on some (saying which). */
  readonly etag?: 'always' | string;
}

/** Something several operations share: the errors it brings, the headers it reads and sends. */
export interface Trait {
  readonly errors: readonly ErrorCode[];
  readonly requestHeaders?: readonly RequestHeader[];
  /** Headers their successful answers may carry. */
  readonly successHeaders?: readonly ResponseHeader[];
}

export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  readonly query?: z.ZodMiniObject;
  readonly body?: { readonly schema: z.core.$ZodType; readonly required: boolean };
  readonly successes: Readonly<Record<number, Success>>;
  /** Answers that show or make a revision carry Config-Revision (functions/http/responses.ts). */
  readonly atRevision: boolean;
  readonly traits: readonly Trait[];
  /**
   * Never answers storage_busy: it reads no table (this document), or reports a table that does
   * not answer in its own answer (health).
   */
  readonly neverStorageBusy?: true;
  /** Errors of its own, besides its traits' and those any request can get. */
  readonly errors: readonly ErrorCode[];
}

/** Any request: a parameter, a name or a header that breaks the rules; a fault of ours. */
export const anyRequest: Trait = { errors: ['validation_error', 'internal_error'] };

/** Reads or writes the tables, and DynamoDB may throttle that (see OperationDoc.neverStorageBusy). */
export const usesTables: Trait = { errors: ['storage_busy'] };

/** Takes a JSON body (functions/http/request.ts readJsonBody, and the gateway's own limit). */
const jsonBody: Trait = {
  errors: ['invalid_json', 'unsupported_media_type', 'payload_too_large'],
};

/**
 * Commits to the log (functions/app/commands.ts): it may lose the race for a revision too often,
 * or find the read model too far behind; on the local stack, a failed disk refuses writes.
 */
const commits: Trait = {
  errors: ['write_contention', 'not_caught_up', 'storage_unavailable', 'insufficient_storage'],
  requestHeaders: ['XActor'],
};

/** Honours If-Match and If-None-Match beside the body's expectedVersion (preconditions.ts). */
const conditional: Trait = {
  errors: ['version_conflict', 'precondition_failed'],
  requestHeaders: ['IfMatch', 'IfNoneMatch'],
};

/** Honours Idempotency-Key (idempotency.ts). */
const idempotent: Trait = {
  errors: ['idempotency_key_in_progress', 'idempotency_key_reused'],
  requestHeaders: ['IdempotencyKey'],
  successHeaders: ['IdempotencyReplayed'],
};

const singleWrite = [jsonBody, commits, conditional, idempotent];

const entry = { description: 'The entry.', body: responses.entryResponse, etag: 'always' } as const;

/** One description per route handler: the record type makes a route without one a type error. */
export const operations: Readonly<Record<HandlerName, OperationDoc>> = {
  'put-config': {
    summary: 'Set a value',
    description:
      'Without an expected version (expectedVersion in the body, If-Match or If-None-Match) a write that loses a race is decided again on the newer state, so no update is lost.',
    body: { schema: contract.putConfigBodySchema, required: true },
    successes: {
      200: { ...entry, description: 'Updated: the entry.' },
      201: { ...entry, description: 'Created (absent or deleted before): the entry.' },
    },
    atRevision: true,
    traits: singleWrite,
    errors: ['value_too_large', 'schema_violation', 'invalid_schema'],
  },
  'delete-config': {
    summary: 'Delete an entry (its history stays)',
    body: { schema: contract.deleteConfigBodySchema, required: false },
    successes: { 200: { description: 'Deleted.', body: responses.deletedResponse } },
    atRevision: true,
    traits: singleWrite,
    errors: ['not_found'],
  },
  'get-config': {
    summary: 'Read the current value',
    description:
      'As far as the read model has got (milliseconds behind); with consistent=true, with every change acknowledged before the request; with revision, exactly at that revision.',
    query: contract.getQuerySchema,
    successes: { 200: entry },
    atRevision: true,
    traits: [],
    errors: ['not_found', 'revision_not_found', 'not_caught_up'],
  },
  'list-config': {
    summary: 'List entries, now or at a revision or an instant',
    description:
      'Live entries in name order. Every page of a listing shows the revision its first page showed.',
    query: contract.listQuerySchema,
    successes: { 200: { description: 'A page of entries.', body: responses.entryListResponse } },
    atRevision: true,
    traits: [],
    errors: ['revision_not_found', 'not_caught_up'],
  },
  'get-history': {
    summary: 'Every event of an entry, oldest first',
    query: contract.historyQuerySchema,
    successes: { 200: { description: 'A page of events.', body: responses.historyResponse } },
    atRevision: true,
    traits: [],
    // revision_not_found: a page token of a ledger since restored to an earlier revision.
    errors: ['not_found', 'revision_not_found', 'not_caught_up'],
  },
  'get-at': {
    summary: 'The entry as it was at an instant',
    successes: { 200: { ...entry, description: 'The entry as it was then.' } },
    atRevision: true,
    traits: [],
    errors: ['not_found', 'not_caught_up'],
  },
  'revert-config': {
    summary: 'Restore an earlier version as a new event',
    description:
      "Appends an event that restores the version's state: a set of its value, or a delete if it was a deletion. The history records restoredVersion.",
    body: { schema: contract.revertBodySchema, required: true },
    successes: {
      200: {
        description: 'Restored: the entry, or the deletion when the version was one.',
        body: [responses.entryResponse, responses.deletedResponse],
        etag: 'With the entry, not with a deletion.',
      },
      201: { ...entry, description: 'Re-created (it was deleted): the entry.' },
    },
    atRevision: true,
    traits: singleWrite,
    errors: ['not_found', 'schema_violation', 'invalid_schema'],
  },
  'get-diff': {
    summary: 'JSON Patch between two versions or instants of an entry',
    query: contract.diffQuerySchema,
    successes: { 200: { description: 'The patch.', body: responses.entryDiffResponse } },
    atRevision: true,
    traits: [],
    // The one answer not bounded by construction (http-handler.ts): lists, history and the feed
    // page by bytes, an export stops at document_too_large, an entry is one value.
    errors: ['not_found', 'not_caught_up', 'response_too_large'],
  },
  'get-config-diff': {
    summary: 'Which names changed between two points (revisions or instants)',
    query: contract.namesDiffQuerySchema,
    successes: {
      200: { description: 'A page of changed names.', body: responses.namesDiffResponse },
    },
    atRevision: true,
    traits: [],
    errors: ['revision_not_found', 'not_caught_up'],
  },
  'get-changes': {
    summary:
      'The change feed in revision order, after a revision or since an instant, with long polling',
    description:
      'Read from the log itself: a follower that resumes after the last revision it saw never misses a change and never sees one twice.',
    query: contract.changesQuerySchema,
    successes: {
      200: {
        description: 'Changes after the revision, or since the instant.',
        body: responses.changesResponse,
      },
    },
    atRevision: true,
    traits: [],
    errors: ['revision_not_found'],
  },
  'verify-log': {
    summary: "Recompute every name's hash chain from the log, a page at a time",
    description:
      "Each event carries a SHA-256 over its fields and its name's previous hash (docs/verify.md). A page recomputes the hashes of up to `limit` commits, checks each link, checks that revisions and versions have no gaps, and compares the history with the log. Page on with `after` while `more` is true; the log is clean when every page has findingCount 0.",
    query: contract.verifyQuerySchema,
    successes: {
      200: { description: 'One page of the verification.', body: responses.verifyResponse },
    },
    atRevision: true,
    traits: [],
    errors: ['revision_not_found', 'not_caught_up'],
  },
  'export-config': {
    summary: 'The whole configuration as one document',
    query: contract.exportQuerySchema,
    successes: { 200: { description: 'The document.', body: responses.exportResponse } },
    atRevision: true,
    traits: [],
    errors: ['revision_not_found', 'not_caught_up', 'document_too_large'],
  },
  'import-config': {
    summary: 'Apply an exported document as ordinary events',
    description:
      'One set per name whose value differs, none for the rest. The whole document is checked before anything is written. A name changed meanwhile is reported as a conflict, not overwritten.',
    query: contract.importQuerySchema,
    body: { schema: contract.importDocumentSchema, required: true },
    successes: { 200: { description: 'What changed (or would).', body: responses.importResponse } },
    atRevision: true,
    traits: [jsonBody, commits],
    errors: ['document_too_large', 'value_too_large', 'schema_violation', 'invalid_schema'],
  },
  'apply-changeset': {
    summary:
      'Apply up to 100 operations (set, delete, revert) on distinct names at one revision, or none',
    description:
      'The operations are decided together on one revision and written as one commit: every reader, feed follower and point in time sees all of them or none. If any operation does not hold, nothing is written and each failing one is listed.',
    query: contract.dryRunQuerySchema,
    body: { schema: contract.changesetBodySchema, required: true },
    successes: {
      200: {
        description: 'Applied (or, for a dry run, would apply).',
        body: responses.changesetResponse,
      },
    },
    atRevision: true,
    traits: [jsonBody, commits, idempotent],
    errors: [
      'changeset_conflict',
      'commit_too_large',
      'value_too_large',
      'schema_violation',
      'invalid_schema',
    ],
  },
  'put-schema': {
    summary: 'Attach a JSON Schema to a name or a prefix (or check one: dryRun)',
    description:
      'Every later write under the target (PUT, revert, import, changesets) must satisfy it. The existing entries it covers are checked first: with dryRun=true nothing is attached and those that break it are listed; otherwise such entries refuse the attach (409 schema_not_met) unless force=true. Schemas are versioned like entries.',
    query: schemaContract.putSchemaQuerySchema,
    body: { schema: schemaContract.putSchemaBodySchema, required: true },
    successes: {
      200: {
        description:
          'Replaced (the answer lists entries that break it, when forced); or a dry run.',
        body: [responses.putSchemaResponse, responses.schemaDryRunResponse],
        etag: 'When attached, not for a dry run.',
      },
      201: { description: 'Attached.', body: responses.putSchemaResponse, etag: 'always' },
    },
    atRevision: true,
    traits: [jsonBody, commits, conditional],
    errors: ['invalid_schema', 'schema_not_met'],
  },
  'get-schema': {
    summary: 'The schema attached to a name or a prefix',
    successes: {
      200: { description: 'The schema.', body: responses.schemaResponse, etag: 'always' },
    },
    atRevision: true,
    traits: [],
    errors: ['not_found', 'not_caught_up'],
  },
  'list-schemas': {
    summary: 'Every schema attached, in target order',
    successes: { 200: { description: 'The schemas.', body: responses.schemaListResponse } },
    atRevision: true,
    traits: [],
    errors: ['not_caught_up'],
  },
  'delete-schema': {
    summary: 'Detach a schema (its history stays)',
    body: { schema: schemaContract.deleteSchemaBodySchema, required: false },
    successes: { 200: { description: 'Detached.', body: responses.schemaDeletedResponse } },
    atRevision: true,
    traits: [jsonBody, commits, conditional],
    errors: ['not_found'],
  },
  'get-schema-history': {
    summary: "Every version of a target's schema, oldest first",
    query: contract.historyQuerySchema,
    successes: {
      200: { description: 'A page of events.', body: responses.schemaHistoryResponse },
    },
    atRevision: true,
    traits: [],
    errors: ['not_found', 'revision_not_found', 'not_caught_up'],
  },
  health: {
    summary: "Health: the newest revision, the projector's, and its lag (reads only)",
    successes: {
      200: { description: 'Healthy.', body: responses.healthResponse },
      503: {
        description: 'Degraded: a table does not answer, or the read model lags.',
        body: responses.healthResponse,
      },
    },
    atRevision: false,
    neverStorageBusy: true,
    traits: [],
    errors: [],
  },
  'get-openapi': {
    summary: 'This document',
    successes: { 200: { description: 'OpenAPI 3.1.', body: responses.openApiResponse } },
    atRevision: false,
    neverStorageBusy: true,
    traits: [],
    errors: [],
  },
};
