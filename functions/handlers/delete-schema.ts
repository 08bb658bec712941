import { detachSchema } from '#app/schemas.ts';
import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withExpectedVersion } from '#http/preconditions.ts';
import { readJsonBody } from '#http/request.ts';
import { atRevision } from '#http/responses.ts';
import { deleteSchemaBodySchema, schemaTargetPathSchema } from '#http/schema-contract.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** DELETE /schemas/{target}: detaches the schema; its history stays. */
export const handler = httpHandler(async (request, context) => {
  const { target } = parseInput(schemaTargetPathSchema, request.pathParameters, 'path');
  parseInput(noQuerySchema, request.query, 'query');
  const body = parseInput(deleteSchemaBodySchema, readJsonBody(request) ?? {}, 'body');
  const event = await withExpectedVersion(request.headers, body.expectedVersion, (expected) =>
    detachSchema(
      stores,
      {
        target,
        actor: request.actor,
        ...(expected === undefined ? {} : { expectedVersion: expected }),
        ...(body.comment === undefined ? {} : { comment: body.comment }),
      },
      { retryBudgetMs: retryBudgetOf(context) },
    ),
  );
  return atRevision(event.revision, {
    target,
    version: event.version,
    revision: event.revision,
    deleted: true,
  });
});
