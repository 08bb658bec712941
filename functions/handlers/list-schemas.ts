import { listSchemas } from '#app/schemas.ts';
import { mayAccess } from '#domain/access.ts';
import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision } from '#http/responses.ts';
import { schemaBody } from '#http/schema-responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** GET /schemas: every schema attached now that the caller may read, in target order. */
export const handler = httpHandler(async (request) => {
  parseInput(noQuerySchema, request.query, 'query');
  const { revision, schemas } = await listSchemas(stores);
  // A caller limited to some prefixes sees the schemas on targets those prefixes cover.
  const visible = schemas.filter((schema) => mayAccess(request.policy, 'read', schema.target));
  return atRevision(revision, { revision, items: visible.map(schemaBody) });
});
