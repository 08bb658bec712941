import { verifyLog } from '#app/verify.ts';
import { coversEverything } from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';
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
  // Its findings name any name of the log: a caller limited to some prefixes is refused whole.
  if (!coversEverything(request.policy, 'read')) {
    throw new AccessDeniedError(
      'GET /verify checks the history of every name, so it needs read access to every name (config:read); your access is limited to some prefixes.',
    );
  }
  const query = parseInput(verifyQuerySchema, request.query, 'query');
  const page = await verifyLog(stores, query);
  return atRevision(page.revision, page);
});
