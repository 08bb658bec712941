import { exportEntries } from '#app/transfer.ts';
import { parseInstant } from '#domain/instant.ts';
import { RawJson } from '#domain/json.ts';
import { exportFormat, exportQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ok } from '#http/responses.ts';
import { eventStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };

/** GET /export?prefix=&at=: the whole configuration (now or at an instant) as one document. */
export const handler = httpHandler(async (request) => {
  const query = parseInput(exportQuerySchema, request.query, 'query');
  const at = query.at === undefined ? undefined : parseInstant(query.at);
  const entries = await exportEntries(stores, { prefix: query.prefix, at });
  return ok({
    format: exportFormat,
    exportedAt: new Date().toISOString(),
    ...(at === undefined ? {} : { at }),
    ...(query.prefix === '' ? {} : { prefix: query.prefix }),
    entries: entries.map((entry) => ({
      name: entry.name,
      value: new RawJson(entry.value),
      version: entry.version,
      updatedAt: entry.updatedAt,
    })),
  });
});
