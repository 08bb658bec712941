import * as z from 'zod/mini';
import { limits } from '#domain/limits.ts';
import { schemaTargetSchema } from '#domain/schema-target.ts';
import { commentSchema, dryRunQuerySchema, flagSchema, versionSchema } from './contract.ts';

/**
 * The schema routes' inputs (docs/schemas.md). A target is a name, or a prefix ending in `.` or
 * `:` that covers every name beginning with it.
 */
export const schemaTargetPathSchema = z.strictObject({
  target: schemaTargetSchema.check(
    z.meta({
      description:
        'A name, or a prefix ending in `.` or `:` (`payments.`): the schema applies to it and every name under it.',
    }),
  ),
});

/** dryRun: check the existing entries and attach nothing (the answer lists those that break it). */
export const putSchemaQuerySchema = z.extend(dryRunQuerySchema, {
  force: z._default(
    flagSchema.check(
      z.meta({
        description:
          'true: attach even when existing entries break the schema (they are listed); without it such an attach is refused with 409 schema_not_met.',
      }),
    ),
    'false',
  ),
});

const jsonSchemaDocument = z
  .custom<object | boolean>(
    (value) => typeof value === 'boolean' || (typeof value === 'object' && value !== null),
    'Required: a JSON Schema (draft 2020-12), an object or true / false.',
  )
  .check(
    z.meta({
      description: `A JSON Schema, draft 2020-12, up to ${limits.schemaMaxBytes / 1024} KiB. $ref resolves only inside it; patterns run on RE2 (no lookaround, no backreferences); formats are annotations.`,
    }),
  );

export const putSchemaBodySchema = z.strictObject({
  schema: jsonSchemaDocument,
  expectedVersion: z.optional(versionSchema),
  comment: z.optional(commentSchema),
});

export const deleteSchemaBodySchema = z.strictObject({
  expectedVersion: z.optional(versionSchema),
  comment: z.optional(commentSchema),
});
