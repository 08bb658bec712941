import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { openApiDocument } from '#http/openapi.ts';
import { ok } from '#http/responses.ts';

/** Built once per container: it depends only on the code. */
const document = openApiDocument();

/** GET /openapi.json: the API's OpenAPI 3.1 document, generated from its zod schemas. */
export const handler = httpHandler(async (request) => {
  parseInput(noQuerySchema, request.query, 'query');
  return ok(document);
});
