import { ValidationError } from '#domain/errors.ts';
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
