import { listingRevision } from '#app/listing.ts';
import { changesBetween } from '#app/pages-at.ts';
import { revisionOf } from '#app/points.ts';
import { readableBy } from '#app/readable.ts';
import { namesDiffQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { decodeNameToken, encodePageToken } from '#http/page-token.ts';
import { pointFromText } from '#http/points.ts';
import { atRevision } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /config/diff?from=&to=&prefix=: which names changed between two points (revisions or
 * instants), and how: only the names the caller may read.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(namesDiffQuerySchema, request.query, 'query');
  const scope = `diff:${query.prefix}:${query.from}..${query.to}`;
  const position =
    query.nextToken === undefined
      ? undefined
      : decodeNameToken(query.nextToken, scope, query.prefix);
  const [from, to] = await Promise.all([
    revisionOf(stores, pointFromText(query.from)),
    revisionOf(stores, pointFromText(query.to)),
  ]);
  const revision = await listingRevision(
    stores,
    { kind: 'revision', revision: Math.max(from, to) },
    position?.revision,
  );
  const page = await changesBetween(readableBy(stores, request.policy), from, to, {
    prefix: query.prefix,
    limit: query.limit,
    afterName: position?.after,
  });
  return atRevision(revision, {
    from: query.from,
    to: query.to,
    fromRevision: from,
    toRevision: to,
    changes: page.changes,
    ...(page.lastName === undefined
      ? {}
      : { nextToken: encodePageToken(scope, { revision, after: page.lastName }) }),
  });
});
