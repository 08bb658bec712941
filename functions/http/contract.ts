import * as z from 'zod/mini';
import { configNameSchema } from '#domain/config-name.ts';
import { ValidationError } from '#domain/errors.ts';
import { asInteger, type JsonValue } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { declared } from '#shared/declared.ts';
import '#shared/zod-english.ts';

/** Names the document format of exports, so that imports can recognise it. */
export const exportFormat = 'config-ledger/v1';

/**
 * The HTTP API's inputs, validated at the edge. Every schema rejects unknown fields. Query
 * parameters arrive as strings; their metadata says what a client sends (`type: 'integer'`,
 * `'boolean'`), which is what the OpenAPI document shows.
 */

/** Digits a query parameter arrives as, read as the number they spell. */
function wholeNumberText(digits: RegExp, message: string) {
  return z.pipe(z.string().check(z.regex(digits, message)), z.transform(Number));
}

export const versionSchema = /* @__PURE__ */ declared(() =>
  z.pipe(
    z.unknown().check(
      z.meta({
        type: 'integer',
        minimum: 0,
        description: 'An entry version; 0 means "must not exist".',
      }),
    ),
    z.transform((raw, context) => {
      const version = asInteger(raw);
      if (version === undefined || version < 0) {
        context.issues.push({
          code: 'custom',
          message: 'Must be a whole number, 0 or more.',
          input: raw,
        });
        return z.NEVER;
      }
      return version;
    }),
  ),
);

export const commentSchema = /* @__PURE__ */ declared(() =>
  z
    .string()
    .check(z.maxLength(limits.commentMaxLength, `At most ${limits.commentMaxLength} characters.`)),
);

const jsonValueSchema = /* @__PURE__ */ declared(() =>
  z
    .custom<JsonValue>((value) => value !== undefined, 'Required: the JSON value to store.')
    .check(z.meta({ description: 'Any JSON value, up to 256 KiB serialized.' })),
);

export const putConfigBodySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    value: jsonValueSchema,
    expectedVersion: z.optional(versionSchema),
    comment: z.optional(commentSchema),
  }),
);

export const deleteConfigBodySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    expectedVersion: z.optional(versionSchema),
    comment: z.optional(commentSchema),
  }),
);

export const revertBodySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    toVersion: z
      .pipe(versionSchema, z.number().check(z.minimum(1, 'Versions start at 1.')))
      .check(z.meta({ minimum: 1, description: 'The version whose state to restore.' })),
    expectedVersion: z.optional(versionSchema),
    comment: z.optional(commentSchema),
  }),
);

export const namePathSchema = /* @__PURE__ */ declared(() =>
  z.strictObject({ name: configNameSchema }),
);

export const timeTravelPathSchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    name: configNameSchema,
    timestamp: z.string(),
  }),
);

const limitSchema = /* @__PURE__ */ declared(() =>
  z
    .pipe(
      wholeNumberText(/^\d{1,7}$/, 'Must be a whole number.'),
      z
        .number()
        .check(
          z.minimum(1, 'Must be at least 1.'),
          z.maximum(limits.pageSizeMax, `Must be at most ${limits.pageSizeMax}.`),
        ),
    )
    .check(
      z.meta({
        type: 'integer',
        minimum: 1,
        maximum: limits.pageSizeMax,
        description:
          'At most this many items in the answer; fewer when more would not fit in one response, and then the answer says more follow (nextToken, or more).',
      }),
    ),
);

const pageQuery = /* @__PURE__ */ declared(() => ({
  limit: z._default(limitSchema, limits.pageSizeDefault),
  nextToken: z.optional(
    z
      .string()
      .check(
        z.maxLength(2048),
        z.meta({ description: "The previous page's nextToken, as it was: the next page." }),
      ),
  ),
}));

const prefixSchema = /* @__PURE__ */ declared(() =>
  z._default(
    z
      .string()
      .check(
        z.maxLength(limits.nameMaxLength),
        z.regex(/^[A-Za-z0-9._:-]*$/, 'A prefix uses only A-Z a-z 0-9 . _ : -'),
        z.meta({ description: 'Only the names that start with it.' }),
      ),
    '',
  ),
);

/** An ISO-8601 instant with a zone; read with parseInstant. */
const instantSchema = /* @__PURE__ */ declared(() =>
  z.string().check(z.minLength(1), z.maxLength(64)),
);

const atSchema = /* @__PURE__ */ declared(() =>
  instantSchema.check(
    z.meta({
      description:
        'An ISO-8601 instant with a zone, e.g. 2026-02-12T10:00:00Z: as it was then. Not with revision.',
    }),
  ),
);

/** A revision: a position in the one order of changes, 0 before the first. */
const revisionSchema = /* @__PURE__ */ declared(() =>
  wholeNumberText(/^\d{1,15}$/, 'Must be a revision: a whole number, 0 or more.').check(
    z.meta({
      type: 'integer',
      minimum: 0,
      maximum: 999_999_999_999_999,
      description: 'Exactly as it was at this revision (from a Config-Revision header, say).',
    }),
  ),
);

/** A query flag: `true` or `false`. */
export const flagSchema = /* @__PURE__ */ declared(() =>
  z.enum(['true', 'false'], 'Must be true or false.').check(z.meta({ type: 'boolean' })),
);

/** A point in time: a revision (a whole number) or an ISO-8601 instant with a zone. */
const pointSchema = /* @__PURE__ */ declared(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(64),
      z.meta({ description: 'A revision (e.g. 42) or an ISO-8601 instant with a zone.' }),
    ),
);

const onePoint = {
  message: 'Pass at (an instant) or revision, not both: a read shows one point.',
};

export const listQuerySchema = /* @__PURE__ */ declared(() =>
  z
    .strictObject({
      ...pageQuery,
      prefix: prefixSchema,
      at: z.optional(atSchema),
      revision: z.optional(revisionSchema),
    })
    .check(z.refine((query) => query.at === undefined || query.revision === undefined, onePoint)),
);

export const namesDiffQuerySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    ...pageQuery,
    prefix: prefixSchema,
    from: pointSchema,
    to: pointSchema,
  }),
);

export const historyQuerySchema = /* @__PURE__ */ declared(() => z.strictObject(pageQuery));

export const verifyQuerySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    after: z._default(
      revisionSchema.check(
        z.meta({
          description:
            "Verify the commits after this revision; 0 (the default) starts at the beginning. Pass back the answer's revision while more is true.",
        }),
      ),
      0,
    ),
    // Commits per page: the same parameter as every page's, so clients meet one `limit`.
    limit: pageQuery.limit,
  }),
);

export const getQuerySchema = /* @__PURE__ */ declared(() =>
  z
    .strictObject({
      consistent: z.optional(
        flagSchema.check(
          z.meta({
            description:
              'true: with every change acknowledged before the request, not only those the read model has applied. Not with revision.',
          }),
        ),
      ),
      revision: z.optional(revisionSchema),
    })
    .check(
      z.refine((query) => query.consistent === undefined || query.revision === undefined, {
        message: 'Pass consistent or revision, not both: a revision is always exact.',
      }),
    ),
);

/** A version (`3`) or an ISO-8601 instant with a zone. */
const historyPointSchema = /* @__PURE__ */ declared(() =>
  z.string().check(z.minLength(1), z.maxLength(64)),
);

export const diffQuerySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    from: historyPointSchema.check(
      z.meta({
        description:
          'A version (e.g. 3; 0 is before the first event) or an ISO-8601 instant with a zone.',
      }),
    ),
    to: z.optional(
      historyPointSchema.check(
        z.meta({ description: 'A version or an instant, as from. Absent: the current state.' }),
      ),
    ),
  }),
);

const waitSchema = /* @__PURE__ */ declared(() =>
  z
    .pipe(
      wholeNumberText(/^\d{1,2}$/, 'Must be a whole number of seconds.'),
      z
        .number()
        .check(
          z.maximum(
            limits.changesWaitMaxSeconds,
            `Must be at most ${limits.changesWaitMaxSeconds} seconds.`,
          ),
        ),
    )
    .check(
      z.meta({
        type: 'integer',
        minimum: 0,
        maximum: limits.changesWaitMaxSeconds,
        description:
          'Seconds to wait for a first change when none follows yet (a long poll); 0 answers at once.',
      }),
    ),
);

/** The feed starts at one point: after a revision, or at an instant, never both. */
export const changesQuerySchema = /* @__PURE__ */ declared(() =>
  z
    .strictObject({
      after: z.optional(
        revisionSchema.check(
          z.meta({
            description:
              'The revision of the last change you have: the feed resumes right after it. 0 (the default without since) starts at the beginning.',
          }),
        ),
      ),
      since: z.optional(
        instantSchema.check(
          z.meta({
            description:
              'ISO-8601 with a zone, e.g. 2026-02-12T10:00:00Z: start at the first change that occurred at or after it. Not with after.',
          }),
        ),
      ),
      limit: z._default(limitSchema, limits.pageSizeDefault),
      wait: z._default(waitSchema, 0),
    })
    .check(
      z.refine((query) => query.after === undefined || query.since === undefined, {
        message:
          'Pass after (a revision) or since (an instant), not both: the feed starts at one point. To go on from a since page, send its revision as after, without since.',
      }),
    ),
);

export const exportQuerySchema = /* @__PURE__ */ declared(() =>
  z
    .strictObject({
      prefix: prefixSchema,
      at: z.optional(atSchema),
      revision: z.optional(revisionSchema),
    })
    .check(z.refine((query) => query.at === undefined || query.revision === undefined, onePoint)),
);

/** A write that can be checked without being made: an import, a changeset. */
export const dryRunQuerySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    dryRun: z._default(
      flagSchema.check(
        z.meta({ description: 'true: answer what would change, and change nothing.' }),
      ),
      'false',
    ),
  }),
);

export const importQuerySchema = dryRunQuerySchema;

/** The document GET /export produces; an import needs only each entry's name and value. */
export const importDocumentSchema = /* @__PURE__ */ declared(() =>
  z.object({
    format: z.literal(exportFormat, `Must be "${exportFormat}".`),
    comment: z.optional(commentSchema),
    entries: z
      .array(
        z.object({
          name: configNameSchema,
          value: z.custom<JsonValue>((value) => value !== undefined, 'Required: the JSON value.'),
        }),
      )
      .check(
        z.refine(
          (entries) => new Set(entries.map((entry) => entry.name)).size === entries.length,
          'Each name may appear only once.',
        ),
        z.meta({
          description: `Each name at most once, at most ${limits.importMaxEntries} entries. Only name and value are read.`,
        }),
      ),
  }),
);

const operationBase = /* @__PURE__ */ declared(() => ({
  name: configNameSchema,
  expectedVersion: z.optional(versionSchema),
  comment: z.optional(commentSchema),
}));

const changesetOperationSchema = /* @__PURE__ */ declared(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('set'), ...operationBase, value: jsonValueSchema }),
    z.strictObject({ op: z.literal('delete'), ...operationBase }),
    z.strictObject({
      op: z.literal('revert'),
      ...operationBase,
      toVersion: z.pipe(versionSchema, z.number().check(z.minimum(1, 'Versions start at 1.'))),
    }),
  ]),
);

/** POST /changesets: operations on distinct names, applied together at one revision or not at all. */
export const changesetBodySchema = /* @__PURE__ */ declared(() =>
  z.strictObject({
    comment: z
      .optional(commentSchema)
      .check(
        z.meta({ description: 'Recorded with every operation that has no comment of its own.' }),
      ),
    operations: z
      .array(changesetOperationSchema)
      .check(
        z.minLength(1, 'At least one operation.'),
        z.maxLength(
          limits.changesetMaxOperations,
          `At most ${limits.changesetMaxOperations} operations in one changeset.`,
        ),
      ),
  }),
);

export const noQuerySchema = /* @__PURE__ */ declared(() => z.strictObject({}));

/** Validates input against a schema; a failure names every offending field. */
export function parseInput<Schema extends z.ZodMiniType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || undefined,
    message: issue.message,
  }));
  const summary = problems
    .map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message))
    .join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, { details: problems });
}
