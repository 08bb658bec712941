import { changesBetween } from '#app/snapshots.ts';
import { parseInstant } from '#domain/instant.ts';
import { namesDiffQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodePageToken, encodePageToken } from '#http/page-token.ts';
import { ok } from '#http/responses.ts';
import { eventStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };

/** GET /config/diff?from=&to=&prefix=: which names changed between two instants, and how. */
export const handler = httpHandler(async (request) => {
  const query = parseInput(namesDiffQuerySchema, request.query, 'query');
  const from = parseInstant(query.from);
  const to = parseInstant(query.to);
  const scope = `diff:${query.prefix}@${from}..${to}`;
  const after = query.nextToken === undefined ? undefined : decodePageToken(query.nextToken, scope);
  const page = await changesBetween(stores, from, to, {
    prefix: query.prefix,
    limit: query.limit,
    afterName: after === undefined ? undefined : String(after),
  });
  return ok({
    from,
    to,
    changes: page.changes,
    ...(page.lastName === undefined ? {} : { nextToken: encodePageToken(scope, page.lastName) }),
  });
});
