import { readableBy, readablePrefixes } from '#app/readable.ts';
import { exportEntries } from '#app/transfer.ts';
import { coversEverything } from '#domain/access.ts';
import { RawJson } from '#domain/json.ts';
import { exportFormat, exportQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { pointFromQuery } from '#http/points.ts';
import { atRevision, weakEtagOf } from '#http/responses.ts';
import { snapshotStoreFromEnv, storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();
const snapshots = { log: stores.log, snapshots: snapshotStoreFromEnv() };

/**
 * GET /export?prefix=&at=|revision=: the whole configuration as one document, as of every change
 * acknowledged before the request, or as of the point asked for: only the names the caller may
 * read.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(exportQuerySchema, request.query, 'query');
  const point = pointFromQuery(query);
  const { revision, result: entries } = await exportEntries(readableBy(stores, request.policy), {
    prefix: query.prefix,
    point,
    snapshots: { stores: snapshots, prefixes: readablePrefixes(request.policy, query.prefix) },
  });
  const body = {
    format: exportFormat,
    exportedAt: new Date().toISOString(),
    revision,
    ...(point.kind === 'instant' ? { at: point.instant } : {}),
    ...(query.prefix === '' ? {} : { prefix: query.prefix }),
    entries: entries.map((entry) => ({
      name: entry.name,
      value: new RawJson(entry.value),
      version: entry.version,
      revision: entry.revision,
      updatedAt: entry.updatedAt,
    })),
  };
  const question = { prefix: query.prefix, point };
  // A caller limited to prefixes gets a tag of what it can see, not of the revision: a change
  // to a name it may not read must not change the tag it revalidates with.
  const etag = coversEverything(request.policy, 'read')
    ? weakEtagOf(revision, question)
    : weakEtagOf(Math.max(0, ...entries.map((entry) => entry.revision)), {
        ...question,
        policy: request.policy,
        entries: entries.map((entry) => [entry.name, entry.version]),
      });
  return atRevision(revision, body, { headers: { etag } });
});
