import { getSchema } from '#app/schemas.ts';
import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision, etagOf } from '#http/responses.ts';
import { schemaTargetPathSchema } from '#http/schema-contract.ts';
import { schemaBody } from '#http/schema-responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /schemas/{target}: the schema attached to a name or prefix now. */
export const handler = httpHandler(async (request) => {
  const { target } = parseInput(schemaTargetPathSchema, request.pathParameters, 'path');
  parseInput(noQuerySchema, request.query, 'query');
  const schema = await getSchema(stores, target);
  return atRevision(schema.revision, schemaBody(schema), {
    headers: { etag: etagOf(schema.version) },
  });
});
