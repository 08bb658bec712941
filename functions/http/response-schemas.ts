import * as z from 'zod';

/**
 * The shapes of the API's answers, for the OpenAPI document. Handlers build their bodies with
 * functions/http/responses.ts; the tests check those bodies against these schemas.
 */
const anyJson = z.unknown().meta({ description: 'Any JSON value, exactly as it was written.' });
const instant = z
  .string()
  .meta({ format: 'date-time', description: 'ISO-8601 UTC, milliseconds.' });
const version = z.number().int().min(1);
const revision = z
  .number()
  .int()
  .min(0)
  .meta({ description: 'A position in the one order of changes across all names.' });
/** The revision a read shows (also in the Config-Revision header). */
const readRevision = revision.meta({
  description: 'The revision this answer shows: every change up to it, none after.',
});
const nextToken = z.string().meta({ description: 'Pass back as is for the next page.' }).optional();

export const entryResponse = z.object({
  name: z.string(),
  value: anyJson,
  version,
  revision: revision.meta({ description: 'The revision of the change that set this value.' }),
  updatedAt: instant,
  updatedBy: z.string(),
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
  nextToken,
});

export const historyEventResponse = z.object({
  version,
  revision,
  type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
  value: anyJson.optional(),
  occurredAt: instant,
  actor: z.string(),
  comment: z.string().optional(),
  restoredVersion: version.optional(),
});

export const historyResponse = z.object({
  name: z.string(),
  revision: readRevision,
  events: z.array(historyEventResponse),
  nextToken,
});

const patchOperation = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string(),
  value: anyJson.optional(),
});
const diffSide = z.object({ version: z.number().int().min(0), exists: z.boolean() });

export const entryDiffResponse = z.object({
  name: z.string(),
  from: diffSide,
  to: diffSide,
  patch: z.array(patchOperation).meta({ description: 'RFC 6902 JSON Patch from `from` to `to`.' }),
});

export const namesDiffResponse = z.object({
  from: z.string().meta({ description: 'The earlier point, as asked for.' }),
  to: z.string().meta({ description: 'The later point, as asked for.' }),
  fromRevision: revision,
  toRevision: revision,
  changes: z.array(
    z.object({
      name: z.string(),
      change: z.enum(['created', 'updated', 'deleted']),
      fromVersion: version.optional(),
      toVersion: version.optional(),
    }),
  ),
  nextToken,
});

export const changesResponse = z.object({
  changes: z.array(historyEventResponse.extend({ name: z.string() })),
  revision: revision.meta({
    description: 'Where a follower stands after these changes: pass it back as `after`.',
  }),
  more: z.boolean().meta({ description: 'More changes were already waiting: call again at once.' }),
});

export const exportResponse = z.object({
  format: z.literal('config-ledger/v1'),
  exportedAt: instant,
  revision: readRevision,
  at: instant.optional(),
  prefix: z.string().optional(),
  entries: z.array(entryResponse.omit({ updatedBy: true })),
});

export const importResponse = z.object({
  dryRun: z.boolean(),
  revision: revision.meta({ description: 'The newest revision once the import was applied.' }),
  summary: z.record(z.enum(['create', 'update', 'unchanged', 'conflict']), z.number().int()),
  changes: z.array(
    z.object({
      name: z.string(),
      change: z.enum(['create', 'update', 'unchanged', 'conflict']),
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

const check = z.object({
  status: z.string(),
  latencyMs: z.number().optional(),
  lagMs: z.number().optional(),
  thresholdMs: z.number().optional(),
  error: z.string().optional(),
});

export const healthResponse = z.object({
  status: z.enum(['healthy', 'degraded']),
  revision: revision.optional(),
  projectedRevision: revision.optional(),
  checks: z.record(z.string(), check),
});

export const errorResponseSchema = z.object({
  error: z.string().meta({ description: 'A stable code, e.g. version_conflict.' }),
  message: z.string().meta({ description: 'For a person.' }),
  details: z.unknown().optional(),
  currentVersion: z.number().int().optional(),
});

/** The OpenAPI document itself: any JSON object. */
export const openApiResponse = z.record(z.string(), z.unknown());
