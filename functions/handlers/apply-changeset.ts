import type * as z from 'zod/mini';
import { applyChangeset, type ChangesetResult, checkChangeset } from '#app/changesets.ts';
import { assertMayWriteAll } from '#domain/access.ts';
import type { ChangesetOperation } from '#domain/changeset.ts';
import { ValidationError } from '#domain/errors.ts';
import { toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { changesetBodySchema, dryRunQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withIdempotency } from '#http/idempotency.ts';
import { type HttpRequest, readJsonBody } from '#http/request.ts';
import { atRevision } from '#http/responses.ts';
import { idempotencyRecordsFromEnv, storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

type ChangesetBody = z.output<typeof changesetBodySchema>;

/**
 * POST /changesets?dryRun=: applies every operation at one revision, or none of them. Every
 * failing operation is listed in the 409; a changeset too large for one commit is a 413; in
 * both cases nothing is written. Only a real apply honours Idempotency-Key: a dry run writes
 * nothing, and must not stand in for the apply that follows it with the same key. A changeset
 * that names any name the caller may not write is refused whole (403), dry run or not, before
 * anything is read and before a stored response could be replayed.
 */
export const handler = httpHandler(async (request, context) => {
  const query = parseInput(dryRunQuerySchema, request.query, 'query');
  const changeset = changesetOf(request);
  if (query.dryRun === 'false') return applyOnce(request, context);
  const result = await checkChangeset(stores, changeset);
  return atRevision(result.revision, changesetResponseBody(result, true));
});

const applyOnce = withIdempotency(idempotencyRecordsFromEnv(), async (request, context) => {
  const result = await applyChangeset(stores, changesetOf(request), {
    retryBudgetMs: retryBudgetOf(context),
  });
  return atRevision(result.revision, changesetResponseBody(result, false));
});

function changesetOf(request: HttpRequest) {
  const body = parseInput(changesetBodySchema, readChangeset(request), 'body');
  assertMayWriteAll(
    request.policy,
    body.operations.map((operation) => operation.name),
  );
  return {
    actor: request.actor,
    comment: body.comment,
    operations: body.operations.map(operationOf),
  };
}

function readChangeset(request: HttpRequest): unknown {
  const body = readJsonBody(request, limits.changesetBodyMaxBytes);
  if (body === undefined) {
    throw new ValidationError('A JSON body is required: {"operations": [...]}.');
  }
  return body;
}

function operationOf(operation: ChangesetBody['operations'][number]): ChangesetOperation {
  return operation.op === 'set' ? { ...operation, value: toJsonText(operation.value) } : operation;
}

function changesetResponseBody(result: ChangesetResult, dryRun: boolean) {
  return {
    dryRun,
    revision: result.revision,
    ...(result.occurredAt === undefined ? {} : { occurredAt: result.occurredAt }),
    changes: result.changes.map((change) => ({
      name: change.name,
      type: change.type,
      version: change.version,
      ...(change.restoredVersion === undefined ? {} : { restoredVersion: change.restoredVersion }),
    })),
  };
}
