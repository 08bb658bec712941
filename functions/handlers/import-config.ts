import { importEntries } from '#app/transfer.ts';
import { ValidationError, ValueTooLargeError } from '#domain/errors.ts';
import { type JsonText, toJsonText, utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { importDocumentSchema, importQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { readJsonBody } from '#http/request.ts';
import { ok } from '#http/responses.ts';
import { eventStoreFromEnv } from '#store/runtime.ts';

const events = eventStoreFromEnv();

/**
 * POST /import?dryRun=: applies an export document as ordinary events, one per changed name.
 * The whole document is validated before anything is written.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(importQuerySchema, request.query, 'query');
  const body = readJsonBody(request, limits.documentMaxBytes);
  if (body === undefined) throw new ValidationError('A JSON body is required: an export document.');
  const document = parseInput(importDocumentSchema, body, 'document');
  const entries = document.entries.map((entry) => ({
    name: entry.name,
    value: toJsonText(entry.value),
  }));
  assertAllValuesFit(entries);
  const changes = await importEntries(events, entries, {
    dryRun: query.dryRun === 'true',
    actor: request.actor,
    comment: document.comment ?? `import of ${entries.length} entries`,
  });
  const summary = Object.fromEntries(
    ['create', 'update', 'unchanged', 'conflict'].map((kind) => [
      kind,
      changes.filter((change) => change.change === kind).length,
    ]),
  );
  return ok({ dryRun: query.dryRun === 'true', summary, changes });
});

/** Names every value over the limit at once, so that one round of fixes is enough. */
function assertAllValuesFit(entries: readonly { name: string; value: JsonText }[]): void {
  const oversized = entries
    .filter((entry) => utf8Length(entry.value) > limits.valueMaxBytes)
    .map((entry) => entry.name);
  if (oversized.length > 0) {
    throw new ValueTooLargeError(
      `These values are over ${limits.valueMaxBytes} bytes as JSON: ${oversized.join(', ')}.`,
      { details: { names: oversized } },
    );
  }
}
