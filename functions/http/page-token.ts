import { z } from 'zod';
import { ValidationError } from '#domain/errors.ts';
import { parseInput } from './contract.ts';

/**
 * Page tokens are opaque to clients: the position to resume from, bound to the query that made
 * it, so a token cannot be replayed against another name or prefix.
 */
const tokenSchema = z.strictObject({
  scope: z.string(),
  after: z.union([z.string().min(1).max(512), z.number().int().positive()]),
});

export function encodePageToken(scope: string, after: string | number): string {
  return Buffer.from(JSON.stringify({ scope, after })).toString('base64url');
}

export function decodePageToken(token: string, scope: string): string | number {
  const parsed = parseInput(tokenSchema, readToken(token), 'nextToken');
  if (parsed.scope !== scope) {
    throw new ValidationError('Invalid nextToken: it belongs to a different query.');
  }
  return parsed.after;
}

function readToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('Invalid nextToken: pass back the token from a previous page as is.');
  }
}
