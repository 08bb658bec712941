import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { configNameSchema } from '#domain/config-name.ts';
import { ValidationError } from '#domain/errors.ts';
import type { Revision } from '#domain/events.ts';
import { parseInput } from './contract.ts';

/**
 * Page tokens are opaque to clients: the point in the order the first page read (so every page
 * shows the same revision) and the position to resume after, bound to the query that made it so
 * it cannot be replayed against another name or prefix, with a checksum so that an edited token
 * is refused rather than silently read from somewhere else. A checksum proves nothing against a
 * token made by hand, so what a token holds is checked as any input is.
 */
const tokenSchema = z.strictObject({
  scope: z.string(),
  revision: z.number().check(z.int(), z.minimum(0)),
  after: z.union([
    z.string().check(z.minLength(1), z.maxLength(512)),
    z.number().check(z.int(), z.positive()),
  ]),
});

export interface PagePosition<After> {
  readonly revision: Revision;
  readonly after: After;
}

export function encodePageToken(scope: string, position: PagePosition<string | number>): string {
  const payload = Buffer.from(JSON.stringify({ scope, ...position })).toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

/** A token that resumes after a name under a prefix (listings, diffs). */
export function decodeNameToken(
  token: string,
  scope: string,
  prefix: string,
): PagePosition<string> {
  const { revision, after } = decode(token, scope);
  const name = configNameSchema.safeParse(after);
  if (!name.success || !name.data.startsWith(prefix)) throw invalid('nextToken');
  return { revision, after: name.data };
}

/** A token that resumes after a revision, at or before the token's own (histories). */
export function decodeRevisionToken(token: string, scope: string): PagePosition<number> {
  const { revision, after } = decode(token, scope);
  if (typeof after !== 'number' || after > revision) throw invalid('nextToken');
  return { revision, after };
}

function decode(token: string, scope: string) {
  const parsed = parseInput(tokenSchema, readToken(token, 'nextToken'), 'nextToken');
  if (parsed.scope !== scope) {
    throw new ValidationError('Invalid nextToken: it belongs to a different query.');
  }
  return parsed;
}

function readToken(token: string, field: string): unknown {
  const [payload = '', sum, ...rest] = token.split('.');
  const intact = sum !== undefined && rest.length === 0 && sum === checksum(payload);
  try {
    if (intact) return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Falls through: a token with a valid checksum but no JSON inside was forged, not edited.
  }
  throw invalid(field);
}

function invalid(field: string): ValidationError {
  return new ValidationError(`Invalid ${field}: pass back the token from a previous page as is.`);
}

function checksum(payload: string): string {
  return createHash('sha256').update(payload).digest('base64url').slice(0, 16);
}
