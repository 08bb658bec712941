import { setValue } from '#app/commands.ts';
import { toJsonText } from '#domain/json.ts';
import { namePathSchema, noQuerySchema, parseInput, putConfigBodySchema } from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withIdempotency } from '#http/idempotency.ts';
import { withExpectedVersion } from '#http/preconditions.ts';
import { readJsonBody } from '#http/request.ts';
import { atRevision, entryBody, etagOf } from '#http/responses.ts';
import { idempotencyRecordsFromEnv, storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** PUT /config/{name}: sets a value; 201 when that creates the entry, 200 when it updates it. */
export const handler = httpHandler(
  withIdempotency(idempotencyRecordsFromEnv(), async (request, context) => {
    const { name } = parseInput(namePathSchema, request.pathParameters, 'path');
    parseInput(noQuerySchema, request.query, 'query');
    const body = parseInput(putConfigBodySchema, readJsonBody(request) ?? {}, 'body');
    const { entry, created } = await withExpectedVersion(
      request.headers,
      body.expectedVersion,
      (expectedVersion) =>
        setValue(
          stores,
          {
            name,
            value: toJsonText(body.value),
            expectedVersion,
            actor: request.actor,
            comment: body.comment,
          },
          { retryBudgetMs: retryBudgetOf(context) },
        ),
    );
    return atRevision(entry.revision, entryBody(entry), {
      statusCode: created ? 201 : 200,
      headers: { etag: etagOf(entry.version) },
    });
  }),
);
