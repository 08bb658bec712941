import { getHistory } from '#app/queries.ts';
import { historyQuerySchema, namePathSchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodeRevisionToken, encodePageToken } from '#http/page-token.ts';
import { atRevision, historyEventBody } from '#http/responses.ts';
import { responseBodyBudgetBytes } from '#shared/aws-limits.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /config/{name}/history: every event of a name, oldest first, up to the newest revision
 * (every page of one listing up to the revision its first page showed).
 */
export const handler = httpHandler(async (request) => {
  const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
  const query = parseInput(historyQuerySchema, request.query, 'query');
  const scope = `history:${name}`;
  const position =
    query.nextToken === undefined ? undefined : decodeRevisionToken(query.nextToken, scope);
  const { revision, result: page } = await getHistory(stores, name, {
    limit: query.limit,
    maxBytes: responseBodyBudgetBytes,
    afterRevision: position?.after,
    through: position?.revision,
  });
  return atRevision(revision, {
    name,
    revision,
    events: page.events.map(historyEventBody),
    ...(page.lastRevision === undefined
      ? {}
      : { nextToken: encodePageToken(scope, { revision, after: page.lastRevision }) }),
  });
});
