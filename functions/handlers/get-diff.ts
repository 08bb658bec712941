import type { HistoryPoint } from '#app/diff.ts';
import { diffEntry } from '#app/diff.ts';
import { parseInstant } from '#domain/instant.ts';
import { RawJson, toJsonText } from '#domain/json.ts';
import { diffQuerySchema, namePathSchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /config/{name}/diff?from=&to=: the JSON Patch between two versions or instants. */
export const handler = httpHandler(async (request) => {
  const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
  const query = parseInput(diffQuerySchema, request.query, 'query');
  const { revision, result: diff } = await diffEntry(
    stores,
    name,
    historyPoint(query.from),
    query.to === undefined ? undefined : historyPoint(query.to),
  );
  return atRevision(revision, {
    ...diff,
    patch: diff.patch.map((operation) =>
      operation.value === undefined
        ? operation
        : { ...operation, value: new RawJson(toJsonText(operation.value)) },
    ),
  });
});

function historyPoint(text: string): HistoryPoint {
  return /^\d{1,15}$/.test(text) ? { version: Number(text) } : { instant: parseInstant(text) };
}
