import { readChanges } from '#app/changes.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { changesStart, encodeChangeCursor } from '#http/change-cursor.ts';
import { changesQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { historyEventBody, ok } from '#http/responses.ts';
import { numberEnv } from '#shared/env.ts';
import { feedStoreFromEnv } from '#store/runtime.ts';

const stores = { feed: feedStoreFromEnv() };
const settleMs = numberEnv('FEED_SETTLE_MS', 1000);
if (settleMs < 0) throw new Error('Environment variable FEED_SETTLE_MS must not be negative.');

const changeBody = (event: ConfigEvent) => ({ name: event.name, ...historyEventBody(event) });

/**
 * GET /changes?after=|since=&limit=&wait=: every name's changes in order, from a resumable cursor
 * or an instant.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(changesQuerySchema, request.query, 'query');
  const page = await readChanges(
    stores,
    { ...changesStart(query), limit: query.limit, waitMs: query.wait * 1000 },
    { settleMs },
  );
  return ok({
    changes: page.changes.map(changeBody),
    cursor: encodeChangeCursor(page.resumeAfter),
  });
});
