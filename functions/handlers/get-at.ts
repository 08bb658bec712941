import { getEntryAt } from '#app/queries.ts';
import { parseInstant } from '#domain/instant.ts';
import { noQuerySchema, parseInput, timeTravelPathSchema } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { entryBody, etagOf, ok } from '#http/responses.ts';
import { eventStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv() };

/** GET /config/{name}/at/{timestamp}: the entry as it was at an instant. */
export const handler = httpHandler(async (request) => {
  const path = parseInput(timeTravelPathSchema, request.pathParameters, 'path');
  parseInput(noQuerySchema, request.query, 'query');
  const entry = await getEntryAt(stores, path.name, parseInstant(path.timestamp));
  return ok(entryBody(entry), { etag: etagOf(entry.version) });
});
