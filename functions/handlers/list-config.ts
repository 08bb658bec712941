import { listEntries } from '#app/queries.ts';
import { snapshotAt } from '#app/snapshots.ts';
import { parseInstant } from '#domain/instant.ts';
import { listQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodePageToken, encodePageToken } from '#http/page-token.ts';
import { entryBody, ok } from '#http/responses.ts';
import { eventStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };

/**
 * GET /config?prefix=&limit=&nextToken=: live entries in name order; with `at`, the whole
 * configuration as it was at that instant.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(listQuerySchema, request.query, 'query');
  const at = query.at === undefined ? undefined : parseInstant(query.at);
  const scope = at === undefined ? `list:${query.prefix}` : `list:${query.prefix}@${at}`;
  const after = query.nextToken === undefined ? undefined : decodePageToken(query.nextToken, scope);
  const page = {
    prefix: query.prefix,
    limit: query.limit,
    afterName: after === undefined ? undefined : String(after),
  };
  const result =
    at === undefined ? await listEntries(stores, page) : await snapshotAt(stores, at, page);
  return ok({
    ...(at === undefined ? {} : { at }),
    items: result.entries.map(entryBody),
    ...(result.lastName === undefined
      ? {}
      : { nextToken: encodePageToken(scope, result.lastName) }),
  });
});
