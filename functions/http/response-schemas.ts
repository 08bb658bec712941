import * as z from 'zod';

/**
 * The shapes of the API's answers, for the OpenAPI document. Handlers build their bodies with
 * functions/http/responses.ts; the tests check those bodies against these schemas. The building
 * blocks are exported so that the document can name them (components) instead of repeating them.
 */
export const jsonValue = z
  .unknown()
  .meta({ description: 'Any JSON value, exactly as it was written.' });
export const instant = z
  .string()
  .meta({ format: 'date-time', description: 'ISO-8601 UTC, milliseconds.' });
export const version = z
  .number()
  .int()
  .min(1)
  .meta({ description: "An entry's version: 1 for its first event, one more for each next one." });
export const revision = z
  .number()
  .int()
  .min(0)
  .meta({ description: 'A position in the one order of changes across all names.' });
/** The revision a read shows (also in the Config-Revision header). */
const readRevision = revision.meta({
  description: 'The revision this answer shows: every change up to it, none after.',
});
export const pageToken = z.string().meta({
  description:
    'Opaque: pass it back as is (nextToken) for the next page. The last page has none. Every page shows the revision the first one showed.',
});

/** A SHA-256 in lowercase hex; see docs/verify.md for what it covers. */
export const chainHash = z.string().regex(/^[0-9a-f]{64}$/);

export const entryResponse = z.object({
  name: z.string(),
  value: jsonValue,
  version,
  revision: revision.meta({ description: 'The revision of the change that set this value.' }),
  updatedAt: instant,
  updatedBy: z.string().meta({ description: 'Who set this value.' }),
  hash: chainHash.optional().meta({
    description:
      "The hash of the event that set this value: the head of the name's chain, for an auditor to pin. Absent for values written before events were chained.",
  }),
});

export const deletedResponse = z.object({
  name: z.string(),
  version,
  revision,
  deleted: z.literal(true),
});

export const entryListResponse = z.object({
  revision: readRevision,
  at: instant.optional(),
  items: z.array(entryResponse),
  nextToken: pageToken.optional(),
});

export const historyEventResponse = z.object({
  version,
  revision,
  type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
  value: jsonValue.optional().meta({ description: 'The value set (ConfigValueSet only).' }),
  occurredAt: instant,
  actor: z.string(),
  comment: z.string().optional(),
  restoredVersion: version
    .optional()
    .meta({ description: 'The version a revert restored (reverts only).' }),
  previousHash: chainHash.optional().meta({
    description:
      "The hash of the name's previous event; 64 zeros for the first chained one. Absent for events written before events were chained.",
  }),
  hash: chainHash.optional().meta({
    description:
      'SHA-256 of the canonical JSON of this event and previousHash (docs/verify.md), so anyone can recompute the chain.',
  }),
});

export const historyResponse = z.object({
  name: z.string(),
  revision: readRevision,
  events: z.array(historyEventResponse),
  nextToken: pageToken.optional(),
});

const patchOperation = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string(),
  value: jsonValue.optional(),
});
const diffSide = z.object({
  version: z.number().int().min(0).meta({ description: 'The version then; 0 before the first.' }),
  exists: z.boolean(),
});

export const entryDiffResponse = z.object({
  name: z.string(),
  from: diffSide,
  to: diffSide,
  patch: z.array(patchOperation).meta({ description: 'RFC 6902 JSON Patch from `from` to `to`.' }),
});

export const nameChangeResponse = z.object({
  name: z.string(),
  change: z.enum(['created', 'updated', 'deleted']),
  fromVersion: version.optional(),
  toVersion: version.optional(),
});

export const namesDiffResponse = z.object({
  from: z.string().meta({ description: 'The earlier point, as asked for.' }),
  to: z.string().meta({ description: 'The later point, as asked for.' }),
  fromRevision: revision,
  toRevision: revision,
  changes: z.array(nameChangeResponse),
  nextToken: pageToken.optional(),
});

const verifyFinding = z.object({
  kind: z.enum(['altered', 'removed', 'inserted']).meta({
    description:
      "altered: an event no longer matches its hash, or differs from the log's copy; removed: a revision, version or pinned event is missing; inserted: an event where none belongs, or one that does not chain to its name's previous event.",
  }),
  revision: revision.meta({
    description: 'Where the log puts it (the first one missing, for a gap).',
  }),
  name: z.string().optional(),
  version: version.optional(),
  source: z
    .enum(['log', 'history'])
    .meta({ description: 'Which copy is wrong: the log (the source of truth) or the history.' }),
  message: z.string(),
});

export const verifyResponse = z.object({
  after: revision.meta({ description: 'This page verified the commits after this revision.' }),
  revision: revision.meta({
    description: 'The last revision verified: pass it back as `after` while more is true.',
  }),
  more: z.boolean().meta({ description: 'More of the log follows: ask for the next page.' }),
  commits: z.number().int().min(0),
  events: z.number().int().min(0),
  unchained: z.number().int().min(0).meta({
    description: 'Events written before events were chained: not checkable, and not tampering.',
  }),
  findingCount: z.number().int().min(0).meta({ description: 'How many findings; 0 is clean.' }),
  findings: z.array(verifyFinding).meta({ description: 'The first 1000 findings.' }),
});

/** An event as the change feed shows it: with its name. */
export const changeResponse = historyEventResponse.extend({ name: z.string() });

export const changesResponse = z.object({
  changes: z.array(changeResponse),
  revision: revision.meta({
    description: 'Where a follower stands after these changes: pass it back as `after`.',
  }),
  more: z.boolean().meta({ description: 'More changes were already waiting: call again at once.' }),
});

export const exportedEntryResponse = entryResponse.omit({ updatedBy: true });

export const exportResponse = z.object({
  format: z.literal('config-ledger/v1'),
  exportedAt: instant,
  revision: readRevision,
  at: instant.optional(),
  prefix: z.string().optional(),
  entries: z.array(exportedEntryResponse),
});

const importChange = z.enum(['create', 'update', 'unchanged', 'conflict']);
const importCount = z.number().int().min(0);

export const importResponse = z.object({
  dryRun: z.boolean(),
  revision: revision.meta({ description: 'The newest revision once the import was applied.' }),
  summary: z.object({
    create: importCount,
    update: importCount,
    unchanged: importCount,
    conflict: importCount,
  }),
  changes: z.array(
    z.object({
      name: z.string(),
      change: importChange,
      fromVersion: version.optional(),
      toVersion: version.optional(),
      revision: revision.optional(),
    }),
  ),
});

export const changesetResponse = z.object({
  dryRun: z.boolean(),
  revision: revision.meta({
    description:
      'The one revision of every change of the changeset; for a dry run, the revision it was checked against.',
  }),
  occurredAt: instant.optional().meta({ description: 'When it was committed; not for a dry run.' }),
  changes: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
      version,
      restoredVersion: version.optional(),
    }),
  ),
});

export const healthCheckResponse = z.object({
  status: z.enum(['ok', 'slow', 'failed']),
  latencyMs: z.number().optional(),
  lagMs: z
    .number()
    .optional()
    .meta({ description: 'How long the oldest change not projected yet has waited.' }),
  thresholdMs: z.number().optional(),
  error: z.string().optional(),
});

export const healthResponse = z.object({
  status: z.enum(['healthy', 'degraded']),
  revision: revision.optional(),
  projectedRevision: revision.optional(),
  checks: z.object({
    log: healthCheckResponse,
    projection: healthCheckResponse,
    projectionLag: healthCheckResponse,
  }),
});

export const errorResponseSchema = z.object({
  error: z.string().meta({ description: 'A stable code, e.g. version_conflict.' }),
  message: z.string().meta({ description: 'For a person.' }),
  details: z
    .unknown()
    .optional()
    .meta({ description: 'What exactly: the fields at fault, the versions, the limits.' }),
  currentVersion: z
    .number()
    .int()
    .optional()
    .meta({ description: 'With version_conflict and precondition_failed: the version now.' }),
});

/** What API Gateway itself answers (authorization, throttling), before any function runs. */
export const gatewayErrorResponse = z.object({ message: z.string() });

/** The OpenAPI document itself: any JSON object. */
export const openApiResponse = z.record(z.string(), z.unknown());

/** One way a value breaks a schema (docs/schemas.md). */
export const schemaViolation = z.object({
  path: z.string().meta({ description: 'JSON Pointer into the value; "" is the value itself.' }),
  message: z.string().meta({ description: 'What is wrong, in words.' }),
  schema: z.string().meta({ description: 'The schema broken, as <target>@<version>.' }),
});

export const entryViolations = z.object({
  name: z.string(),
  violations: z.array(schemaViolation),
});

export const schemaResponse = z.object({
  target: z.string(),
  schema: jsonValue.meta({ description: 'The JSON Schema.' }),
  version,
  revision: revision.meta({ description: 'The revision of the change that attached it.' }),
  updatedAt: instant,
  updatedBy: z.string(),
});

const schemaCheck = {
  checked: z.number().int().min(0).meta({ description: 'Existing entries the target covers.' }),
  violating: z
    .array(entryViolations)
    .meta({ description: 'Those that break the schema (at most 20).' }),
};

export const putSchemaResponse = schemaResponse.extend(schemaCheck);

export const schemaDryRunResponse = z.object({
  target: z.string(),
  dryRun: z.literal(true),
  revision: readRevision.meta({ description: 'The revision the entries were checked at.' }),
  ...schemaCheck,
});

export const schemaListResponse = z.object({
  revision: readRevision,
  items: z.array(schemaResponse),
});

export const schemaDeletedResponse = z.object({
  target: z.string(),
  version,
  revision,
  deleted: z.literal(true),
});

export const schemaHistoryResponse = historyResponse.omit({ name: true }).extend({
  target: z.string(),
});
