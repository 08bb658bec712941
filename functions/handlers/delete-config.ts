import { deleteValue } from '#app/commands.ts';
import {
  deleteConfigBodySchema,
  namePathSchema,
  noQuerySchema,
  parseInput,
} from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withIdempotency } from '#http/idempotency.ts';
import { withExpectedVersion } from '#http/preconditions.ts';
import { readJsonBody } from '#http/request.ts';
import { atRevision } from '#http/responses.ts';
import { idempotencyRecordsFromEnv, storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** DELETE /config/{name}: deletes the entry; its history stays. */
export const handler = httpHandler(
  withIdempotency(idempotencyRecordsFromEnv(), async (request, context) => {
    const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
    parseInput(noQuerySchema, request.query, 'query');
    const body = parseInput(deleteConfigBodySchema, readJsonBody(request) ?? {}, 'body');
    const event = await withExpectedVersion(
      request.headers,
      body.expectedVersion,
      (expectedVersion) =>
        deleteValue(
          stores,
          {
            name,
            expectedVersion,
            actor: request.actor,
            comment: body.comment,
          },
          { retryBudgetMs: retryBudgetOf(context) },
        ),
    );
    return atRevision(event.revision, {
      name,
      version: event.version,
      revision: event.revision,
      deleted: true,
    });
  }),
);
