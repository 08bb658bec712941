import { readChanges } from '#app/changes.ts';
import { coversEverything, mayAccess } from '#domain/access.ts';
import { parseInstantRoundingUp } from '#domain/instant.ts';
import { isSchemaEntryName } from '#domain/schema-target.ts';
import { changesQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { atRevision, changeBody } from '#http/responses.ts';
import { responseBodyBudgetBytes } from '#shared/aws-limits.ts';
import { logStoreFromEnv } from '#store/runtime.ts';

const stores = { log: logStoreFromEnv() };

/**
 * GET /changes?after=|since=&limit=&wait=: every name's changes in revision order, after a
 * revision or since an instant, read from the log itself. A caller limited to prefixes sees only
 * the changes of names it may read; `revision` still moves past the others, so it resumes
 * exactly where it left off without learning anything about them but that commits happened.
 */
export const handler = httpHandler(async (request) => {
  const query = parseInput(changesQuerySchema, request.query, 'query');
  const page = await readChanges(stores, {
    // An event stamped .123 did not occur at or after .1231: sub-milliseconds round up.
    ...(query.since === undefined
      ? { after: query.after ?? 0 }
      : { since: parseInstantRoundingUp(query.since) }),
    limit: query.limit,
    maxBytes: responseBodyBudgetBytes,
    waitMs: query.wait * 1000,
    ...(coversEverything(request.policy, 'read')
      ? {}
      : { visible: (name: string) => mayAccess(request.policy, 'read', name) }),
  });
  return atRevision(page.revision, {
    // Schema changes are commits of reserved names: the feed is of configuration entries.
    changes: page.commits.flatMap((commit) =>
      commit.events.filter((event) => !isSchemaEntryName(event.name)).map(changeBody),
    ),
    revision: page.revision,
    more: page.more,
  });
});
