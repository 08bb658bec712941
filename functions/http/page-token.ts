import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '#domain/errors.ts';
import { parseInput } from './contract.ts';

/**
 * Page tokens are opaque to clients: the position to resume from, bound to the query that made
 * it so it cannot be replayed against another name or prefix, with a checksum so that an edited
 * token is refused rather than silently read from somewhere else.
 */
const tokenSchema = z.strictObject({
  scope: z.string(),
  after: z.union([z.string().min(1).max(512), z.number().int().positive()]),
});

export function encodePageToken(scope: string, after: string | number): string {
  const payload = Buffer.from(JSON.stringify({ scope, after })).toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

/** `field` names the parameter that carried the token, in error messages. */
export function decodePageToken(
  token: string,
  scope: string,
  field = 'nextToken',
): string | number {
  const parsed = parseInput(tokenSchema, readToken(token, field), field);
  if (parsed.scope !== scope) {
    throw new ValidationError(`Invalid ${field}: it belongs to a different query.`);
  }
  return parsed.after;
}

function readToken(token: string, field: string): unknown {
  const [payload = '', sum, ...rest] = token.split('.');
  const intact = sum !== undefined && rest.length === 0 && sum === checksum(payload);
  try {
    if (intact) return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Falls through: a token with a valid checksum but no JSON inside was forged, not edited.
  }
  throw new ValidationError(`Invalid ${field}: pass back the token from a previous page as is.`);
}

function checksum(payload: string): string {
  return createHash('sha256').update(payload).digest('base64url').slice(0, 16);
}
