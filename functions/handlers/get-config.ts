import { getEntry } from '#app/queries.ts';
import { getQuerySchema, namePathSchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { entryBody, etagOf, ok } from '#http/responses.ts';
import { eventStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };

/** GET /config/{name}: the current entry, from the projection unless ?consistent=true. */
export const handler = httpHandler(async (request) => {
  const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
  const query = parseInput(getQuerySchema, request.query, 'query');
  const entry = await getEntry(stores, name, { consistent: query.consistent === 'true' });
  return ok(entryBody(entry), { etag: etagOf(entry.version) });
});
