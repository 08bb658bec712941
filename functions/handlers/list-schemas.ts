import { listSchemas } from '#app/schemas.ts';
import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision } from '#http/responses.ts';
import { schemaBody } from '#http/schema-responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /schemas: every schema attached now, in target order. */
export const handler = httpHandler(async (request) => {
  parseInput(noQuerySchema, request.query, 'query');
  const { revision, schemas } = await listSchemas(stores);
  return atRevision(revision, { revision, items: schemas.map(schemaBody) });
});
