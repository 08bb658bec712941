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
const nextToken = z.string().meta({ description: 'Pass back as is for the next page.' }).optional();

export const entryResponse = z.object({
  name: z.string(),
  value: anyJson,
  version,
  updatedAt: instant,
  updatedBy: z.string(),
});

export const deletedResponse = z.object({ name: z.string(), version, deleted: z.literal(true) });

export const entryListResponse = z.object({
  at: instant.optional(),
  items: z.array(entryResponse),
  nextToken,
});

export const historyEventResponse = z.object({
  version,
  type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
  value: anyJson.optional(),
  occurredAt: instant,
  actor: z.string(),
  comment: z.string().optional(),
  restoredVersion: version.optional(),
});

export const historyResponse = z.object({
  name: z.string(),
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
  from: instant,
  to: instant,
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
  cursor: z.string().meta({ description: 'Pass back as `after` to resume.' }),
});

export const exportResponse = z.object({
  format: z.literal('config-ledger/v1'),
  exportedAt: instant,
  at: instant.optional(),
  prefix: z.string().optional(),
  entries: z.array(entryResponse.omit({ updatedBy: true })),
});

export const importResponse = z.object({
  dryRun: z.boolean(),
  summary: z.record(z.enum(['create', 'update', 'unchanged', 'conflict']), z.number().int()),
  changes: z.array(
    z.object({
      name: z.string(),
      change: z.enum(['create', 'update', 'unchanged', 'conflict']),
      fromVersion: version.optional(),
      toVersion: version.optional(),
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
