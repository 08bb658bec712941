import * as z from 'zod';
import { UnexpectedResponseError } from './errors.ts';
import { parseExact } from './json.ts';

/** The API's responses, as far as human output needs them; unknown fields are ignored. */

export const entrySchema = z.object({
  name: z.string(),
  value: z.unknown(),
  version: z.number(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Entry = z.output<typeof entrySchema>;

export const deletionSchema = z.object({
  name: z.string(),
  version: z.number(),
  deleted: z.literal(true),
});

/** PUT and revert answer with the entry, or with a deletion when the restored state is one. */
export const writeResultSchema = z.union([deletionSchema, entrySchema]);

export const entryPageSchema = z.object({
  at: z.string().optional(),
  items: z.array(entrySchema),
  nextToken: z.string().optional(),
});

const eventSchema = z.object({
  version: z.number(),
  revision: z.number(),
  type: z.string(),
  value: z.unknown().optional(),
  occurredAt: z.string(),
  actor: z.string(),
  comment: z.string().optional(),
  /** Set on a revert: the version whose state it restored. */
  restoredVersion: z.number().optional(),
  /** The hash chain (docs/verify.md); absent on events written before it. */
  previousHash: z.string().optional(),
  hash: z.string().optional(),
});
export type HistoryEvent = z.output<typeof eventSchema>;

export const historySchema = z.object({
  name: z.string(),
  events: z.array(eventSchema),
  nextToken: z.string().optional(),
});

const sideSchema = z.object({ version: z.number().nullish(), exists: z.boolean() });
export type DiffSide = z.output<typeof sideSchema>;

export const patchOperationSchema = z.object({
  op: z.string(),
  path: z.string(),
  from: z.string().optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = z.output<typeof patchOperationSchema>;

export const nameDiffSchema = z.object({
  name: z.string(),
  from: sideSchema,
  to: sideSchema,
  patch: z.array(patchOperationSchema),
});

const changeSummarySchema = z.object({
  name: z.string(),
  change: z.string(),
  fromVersion: z.number().nullish(),
  toVersion: z.number().nullish(),
});
export type ChangeSummary = z.output<typeof changeSummarySchema>;

export const configDiffSchema = z.object({
  from: z.string(),
  to: z.string(),
  changes: z.array(changeSummarySchema),
  nextToken: z.string().optional(),
});

export const changeSchema = eventSchema.extend({ name: z.string() });
export type Change = z.output<typeof changeSchema>;

export const changeFeedSchema = z.object({
  changes: z.array(z.unknown()),
  revision: z.number().int().min(0),
});

export const changeFeedPageSchema = changeFeedSchema.extend({
  changes: z.array(changeSchema),
  more: z.boolean(),
});

export const exportSchema = z.object({
  format: z.string(),
  exportedAt: z.string(),
  at: z.string().optional(),
  entries: z.array(z.object({ name: z.string() }).loose()),
});

export const importResultSchema = z.object({
  dryRun: z.boolean(),
  changes: z.array(changeSummarySchema),
});

const changesetChangeSchema = z.object({
  name: z.string(),
  type: z.string(),
  version: z.number(),
  restoredVersion: z.number().optional(),
});
export type ChangesetChange = z.output<typeof changesetChangeSchema>;

export const changesetResultSchema = z.object({
  dryRun: z.boolean(),
  revision: z.number(),
  changes: z.array(changesetChangeSchema),
});

/** Reads a response body with exact numbers and checks its shape. */
export function decode<Schema extends z.ZodType>(schema: Schema, text: string): z.output<Schema> {
  return check(schema, readBody(text));
}

/** A response body read with exact numbers, its shape not checked yet. */
export function readBody(text: string): unknown {
  try {
    return parseExact(text);
  } catch (error) {
    throw new UnexpectedResponseError('The API answered with a body that is not JSON.', {
      cause: error,
    });
  }
}

/** Checks the shape of (part of) a response body already read. */
export function check<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new UnexpectedResponseError(
    `The API answered with an unexpected body: ${z.prettifyError(result.error)}`,
    { cause: result.error },
  );
}
