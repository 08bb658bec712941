import { getEntryAt } from '#app/queries.ts';
import { parseInstant } from '#domain/instant.ts';
import { noQuerySchema, parseInput, timeTravelPathSchema } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision, entryBody, etagOf } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /config/{name}/at/{timestamp}: the entry as it was at an instant. */
export const handler = httpHandler(async (request) => {
  const path = parseInput(timeTravelPathSchema, request.pathParameters, 'path');
  parseInput(noQuerySchema, request.query, 'query');
  const { revision, result: entry } = await getEntryAt(
    stores,
    path.name,
    parseInstant(path.timestamp),
  );
  return atRevision(revision, entryBody(entry), { headers: { etag: etagOf(entry.version) } });
});
