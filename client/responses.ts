import * as z from 'zod';
import { UnexpectedResponseError } from './errors.ts';

/** The API's answers as the client returns them; unknown fields are ignored. */

export const entrySchema = z.object({
  name: z.string(),
  value: z.unknown(),
  version: z.number().int(),
  /** The revision of the change that set this value. */
  revision: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
/** A live entry. Values are parsed with JSON.parse: a number beyond a double's precision is rounded. */
export type Entry = z.output<typeof entrySchema>;

export const deletionSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  revision: z.number().int(),
  deleted: z.literal(true),
});
export type Deletion = z.output<typeof deletionSchema>;

export const entryPageSchema = z.object({
  revision: z.number().int(),
  items: z.array(entrySchema),
  nextToken: z.string().optional(),
});
export type EntryPage = z.output<typeof entryPageSchema>;

export const changeSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  revision: z.number().int(),
  type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
  value: z.unknown().optional(),
  occurredAt: z.string(),
  actor: z.string(),
  comment: z.string().optional(),
  restoredVersion: z.number().int().optional(),
});
/** One change of the feed: a set (with its value) or a delete, at its revision. */
export type Change = z.output<typeof changeSchema>;

export const changePageSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass it back as `after`: the changes after it come next. */
  revision: z.number().int(),
  more: z.boolean(),
});
export type ChangePage = z.output<typeof changePageSchema>;

/** A response body, parsed and checked; UnexpectedResponseError if it is not what the API sends. */
export function decode<Schema extends z.ZodType>(schema: Schema, text: string): z.output<Schema> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new UnexpectedResponseError('The API answered with a body that is not JSON.', {
      cause: error,
    });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new UnexpectedResponseError(
    `The API answered with an unexpected body: ${z.prettifyError(result.error)}`,
    { cause: result.error },
  );
}
