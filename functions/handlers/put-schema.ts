import { attachSchema, checkSchema } from '#app/schemas.ts';
import type { JsonValue } from '#domain/json.ts';
import { toJsonText } from '#domain/json.ts';
import { parseInput } from '#http/contract.ts';
import { httpHandler, retryBudgetOf } from '#http/http-handler.ts';
import { withExpectedVersion } from '#http/preconditions.ts';
import { readJsonBody } from '#http/request.ts';
import { atRevision, etagOf } from '#http/responses.ts';
import {
  putSchemaBodySchema,
  putSchemaQuerySchema,
  schemaTargetPathSchema,
} from '#http/schema-contract.ts';
import { schemaBody } from '#http/schema-responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * PUT /schemas/{target}?dryRun=&force=: attaches (or replaces) a JSON Schema for a name or a
 * prefix, after checking the existing entries it covers; with dryRun, only checks them.
 */
export const handler = httpHandler(async (request, context) => {
  const { target } = parseInput(schemaTargetPathSchema, request.pathParameters, 'path');
  const query = parseInput(putSchemaQuerySchema, request.query, 'query');
  const body = parseInput(putSchemaBodySchema, readJsonBody(request) ?? {}, 'body');
  const schema = toJsonText(body.schema as JsonValue);
  if (query.dryRun === 'true') {
    const check = await checkSchema(stores, target, schema);
    return atRevision(check.revision, { target, dryRun: true, ...check });
  }
  const result = await withExpectedVersion(request.headers, body.expectedVersion, (expected) =>
    attachSchema(
      stores,
      {
        target,
        schema,
        actor: request.actor,
        force: query.force === 'true',
        ...(expected === undefined ? {} : { expectedVersion: expected }),
        ...(body.comment === undefined ? {} : { comment: body.comment }),
      },
      { retryBudgetMs: retryBudgetOf(context) },
    ),
  );
  return atRevision(
    result.attached.revision,
    { ...schemaBody(result.attached), checked: result.checked, violating: result.violating },
    { statusCode: result.created ? 201 : 200, headers: { etag: etagOf(result.attached.version) } },
  );
});
