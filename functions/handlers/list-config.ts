import { listEntries } from '#app/queries.ts';
import { listQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodePageToken, encodePageToken } from '#http/page-token.ts';
import { entryBody, ok } from '#http/responses.ts';
import { projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { projection: projectionStoreFromEnv() };

/** GET /config?prefix=&limit=&nextToken=: live entries in name order. */
export const handler = httpHandler(async (request) => {
  const query = parseInput(listQuerySchema, request.query, 'query');
  const scope = `list:${query.prefix}`;
  const after = query.nextToken === undefined ? undefined : decodePageToken(query.nextToken, scope);
  const page = await listEntries(stores, {
    prefix: query.prefix,
    limit: query.limit,
    afterName: after === undefined ? undefined : String(after),
  });
  return ok({
    items: page.entries.map(entryBody),
    ...(page.lastName === undefined ? {} : { nextToken: encodePageToken(scope, page.lastName) }),
  });
});
