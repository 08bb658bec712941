import { schemaHistory } from '#app/schemas.ts';
import { historyQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodeRevisionToken, encodePageToken } from '#http/page-token.ts';
import { atRevision, historyEventBody } from '#http/responses.ts';
import { schemaTargetPathSchema } from '#http/schema-contract.ts';
import { responseBodyBudgetBytes } from '#shared/aws-limits.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /schemas/{target}/history: every version of a target's schema, detachments included. */
export const handler = httpHandler(async (request) => {
  const { target } = parseInput(schemaTargetPathSchema, request.pathParameters, 'path');
  const query = parseInput(historyQuerySchema, request.query, 'query');
  const scope = `schema-history:${target}`;
  const position =
    query.nextToken === undefined ? undefined : decodeRevisionToken(query.nextToken, scope);
  const { revision, result: page } = await schemaHistory(stores, target, {
    limit: query.limit,
    maxBytes: responseBodyBudgetBytes,
    ...(position === undefined
      ? {}
      : { afterRevision: position.after, through: position.revision }),
  });
  return atRevision(revision, {
    target,
    revision,
    events: page.events.map(historyEventBody),
    ...(page.lastRevision === undefined
      ? {}
      : { nextToken: encodePageToken(scope, { revision, after: page.lastRevision }) }),
  });
});
