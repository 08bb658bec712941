import { exportEntries } from '#app/transfer.ts';
import { RawJson } from '#domain/json.ts';
import { exportFormat, exportQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { pointFromQuery } from '#http/points.ts';
import { atRevision, weakEtagOf } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /export?prefix=&at=|revision=: the whole configuration as one document, as of every change
 * acknowledged before the request, or as of the point asked for.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(exportQuerySchema, request.query, 'query');
  const point = pointFromQuery(query);
  const { revision, result: entries } = await exportEntries(stores, {
    prefix: query.prefix,
    point,
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
  const etag = weakEtagOf(revision, { prefix: query.prefix, point });
  return atRevision(revision, body, { headers: { etag } });
});
