import { entryDocumentBytes, importEntries } from '#app/transfer.ts';
import { assertMayWriteAll } from '#domain/access.ts';
import { DocumentTooLargeError, ValidationError, ValueTooLargeError } from '#domain/errors.ts';
import { type JsonText, toJsonText, utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { importDocumentSchema, importQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { type HttpRequest, readJsonBody } from '#http/request.ts';
import { atRevision } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * POST /import?dryRun=: applies an export document as ordinary events, one per changed name, in
 * as few commits as fit. The whole document is validated, sizes included, before anything is
 * written: a document that is refused leaves nothing behind. A document that names any name the
 * caller may not write is refused whole (403), dry run or not, before anything is read.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(importQuerySchema, request.query, 'query');
  const document = parseInput(importDocumentSchema, readDocument(request), 'document');
  assertImportable(document.entries.length);
  assertMayWriteAll(
    request.policy,
    document.entries.map((entry) => entry.name),
  );
  const entries = document.entries.map((entry) => ({
    name: entry.name,
    value: toJsonText(entry.value),
  }));
  assertAllValuesFit(entries);
  const { revision, result: changes } = await importEntries(stores, entries, {
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
  return atRevision(revision, { dryRun: query.dryRun === 'true', revision, summary, changes });
});

/** The body as a document; too large a body is the document's fault, as for an export. */
function readDocument(request: HttpRequest): unknown {
  const size = request.body === undefined ? 0 : utf8Length(request.body);
  if (size > limits.documentMaxBytes) {
    throw new DocumentTooLargeError(
      `The document is ${size} bytes; an import takes at most ${limits.documentMaxBytes}. Import by prefix.`,
    );
  }
  const body = readJsonBody(request, limits.documentMaxBytes);
  if (body === undefined) throw new ValidationError('A JSON body is required: an export document.');
  return body;
}

function assertImportable(entryCount: number): void {
  if (entryCount > limits.importMaxEntries) {
    throw new DocumentTooLargeError(
      `The document has ${entryCount} entries; an import takes at most ${limits.importMaxEntries}. Import by prefix.`,
    );
  }
}

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
  const total = entries.reduce(
    (sum, entry) => sum + entryDocumentBytes(entry.name, entry.value),
    0,
  );
  if (total > limits.documentMaxBytes) {
    throw new DocumentTooLargeError(
      `The entries add up to ${total} bytes; an import takes at most ${limits.documentMaxBytes}.`,
    );
  }
}
