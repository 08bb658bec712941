import { getHistory } from '#app/queries.ts';
import { historyQuerySchema, namePathSchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodePageToken, encodePageToken } from '#http/page-token.ts';
import { historyEventBody, ok } from '#http/responses.ts';
import { eventStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv() };

/** GET /config/{name}/history: every event of a name, oldest first. */
export const handler = httpHandler(async (request) => {
  const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
  const query = parseInput(historyQuerySchema, request.query, 'query');
  const scope = `history:${name}`;
  const after = query.nextToken === undefined ? undefined : decodePageToken(query.nextToken, scope);
  const page = await getHistory(stores, name, {
    limit: query.limit,
    afterVersion: typeof after === 'number' ? after : undefined,
  });
  return ok({
    name,
    events: page.events.map(historyEventBody),
    ...(page.lastVersion === undefined
      ? {}
      : { nextToken: encodePageToken(scope, page.lastVersion) }),
  });
});
