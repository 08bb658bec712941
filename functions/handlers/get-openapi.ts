import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import document from '#http/openapi-document.json' with { type: 'json' };
import { ok } from '#http/responses.ts';

/**
 * GET /openapi.json: the API's OpenAPI 3.1 document. It depends only on the code, so it is built
 * from the zod schemas (functions/http/openapi.ts) when the code is, by `npm run
 * openapi:generate`, not at each cold start; a unit test fails when the file is stale.
 */
export const handler = httpHandler(async (request) => {
  parseInput(noQuerySchema, request.query, 'query');
  return ok(document);
});
