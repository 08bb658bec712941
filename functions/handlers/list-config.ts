import { listingRevision } from '#app/listing.ts';
import { pageAt } from '#app/pages-at.ts';
import { readableBy } from '#app/readable.ts';
import { listQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodeNameToken, encodePageToken } from '#http/page-token.ts';
import { pointFromQuery, pointLabel } from '#http/points.ts';
import { atRevision, entryBody } from '#http/responses.ts';
import { responseBodyBudgetBytes } from '#shared/aws-limits.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /config?prefix=&limit=&nextToken=: live entries in name order, as of every change
 * acknowledged before the request; with `revision` or `at`, as of that point. Every page of a
 * listing shows the revision its first page showed. Only the names the caller may read.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(listQuerySchema, request.query, 'query');
  const point = pointFromQuery(query);
  const scope = `list:${query.prefix}:${pointLabel(point)}`;
  const position =
    query.nextToken === undefined
      ? undefined
      : decodeNameToken(query.nextToken, scope, query.prefix);
  const revision = await listingRevision(stores, point, position?.revision);
  const page = await pageAt(readableBy(stores, request.policy), revision, {
    prefix: query.prefix,
    limit: query.limit,
    afterName: position?.after,
    maxBytes: responseBodyBudgetBytes,
  });
  return atRevision(revision, {
    revision,
    ...(point.kind === 'instant' ? { at: point.instant } : {}),
    items: page.entries.map(entryBody),
    ...(page.lastName === undefined
      ? {}
      : { nextToken: encodePageToken(scope, { revision, after: page.lastName }) }),
  });
});
