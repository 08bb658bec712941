import { revertTo } from '#app/revert.ts';
import { namePathSchema, noQuerySchema, parseInput, revertBodySchema } from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withIdempotency } from '#http/idempotency.ts';
import { withExpectedVersion } from '#http/preconditions.ts';
import { readJsonBody } from '#http/request.ts';
import { atRevision, entryBody, etagOf } from '#http/responses.ts';
import { idempotencyRecordsFromEnv, storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** POST /config/{name}/revert: restores an earlier version's state as a new event. */
export const handler = httpHandler(
  withIdempotency(idempotencyRecordsFromEnv(), async (request, context) => {
    const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
    parseInput(noQuerySchema, request.query, 'query');
    const body = parseInput(revertBodySchema, readJsonBody(request) ?? {}, 'body');
    const result = await withExpectedVersion(
      request.headers,
      body.expectedVersion,
      (expectedVersion) =>
        revertTo(
          stores,
          {
            name,
            toVersion: body.toVersion,
            expectedVersion,
            actor: request.actor,
            comment: body.comment,
          },
          { retryBudgetMs: retryBudgetOf(context) },
        ),
    );
    if (result.kind === 'deleted') {
      const { version, revision } = result.event;
      return atRevision(revision, { name, version, revision, deleted: true });
    }
    return atRevision(result.entry.revision, entryBody(result.entry), {
      statusCode: result.created ? 201 : 200,
      headers: { etag: etagOf(result.entry.version) },
    });
  }),
);
