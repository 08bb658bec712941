import { verifyLog } from '#app/verify.ts';
import { parseInput, verifyQuerySchema } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision } from '#http/responses.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/**
 * GET /verify?after=&limit=: one page of the verification of the log's hash chains, and of the
 * history against the log. A page of 1000 commits is a few thousand reads: well inside the
 * function's 29 s, and its findings (1000 at most) well inside Lambda's 6 MB.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(verifyQuerySchema, request.query, 'query');
  const page = await verifyLog(stores, query);
  return atRevision(page.revision, page);
});
