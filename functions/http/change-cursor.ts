import type { ChangesStart } from '#app/changes.ts';
import { ValidationError } from '#domain/errors.ts';
import { parseInstantRoundingUp } from '#domain/instant.ts';
import type { FeedPosition } from '#store/feed-store.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

/**
 * The change feed's cursor: a page token (opaque, checksummed, bound to this query) holding the
 * feed position of the last change a client received, or `start` before the first one. Feed
 * positions begin with a digit, so `start` is never one.
 */
const scope = 'changes';
const start = 'start';

export function encodeChangeCursor(position: FeedPosition | undefined): string {
  return encodePageToken(scope, position ?? start);
}

/** The position to resume after; undefined for the start of the feed. */
export function decodeChangeCursor(cursor: string): FeedPosition | undefined {
  const after = decodePageToken(cursor, scope, 'after');
  if (after === start) return undefined;
  if (typeof after !== 'string') {
    throw new ValidationError('Invalid after: pass back the cursor of a previous response as is.');
  }
  return after;
}

/**
 * Where GET /changes starts: at the `since` instant (an event stamped .123 did not occur at or
 * after .1231, so sub-milliseconds round up), after the `after` cursor, or at the beginning. The
 * query schema has already refused both at once.
 */
export function changesStart(query: { after?: string; since?: string }): ChangesStart {
  if (query.since !== undefined) return { since: parseInstantRoundingUp(query.since) };
  return { after: query.after === undefined ? undefined : decodeChangeCursor(query.after) };
}
