import { type EntryReadPoint, getEntry } from '#app/queries.ts';
import { getQuerySchema, namePathSchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision, entryBody, etagOf } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /config/{name}: the entry as far as the projector has got; `?consistent=true` with every
 * change acknowledged before the request; `?revision=R` exactly at revision R.
 */
export const handler = httpHandler(async (request) => {
  const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
  const query = parseInput(getQuerySchema, request.query, 'query');
  const point: EntryReadPoint =
    query.revision !== undefined
      ? { kind: 'revision', revision: query.revision }
      : { kind: query.consistent === 'true' ? 'newest' : 'projected' };
  const { revision, result: entry } = await getEntry(stores, name, point);
  return atRevision(revision, entryBody(entry), { headers: { etag: etagOf(entry.version) } });
});
