import { coversEverything, type Policy, readableUnder } from '#domain/access.ts';
import type { ProjectionStore, StatePage } from '#store/projection-store.ts';
import type { Stores } from './stores.ts';

/**
 * The stores as a caller limited to some prefixes sees them: every listing of names (a page of
 * the projection: listings, exports, diffs of the whole configuration) shows only the names it
 * may read, and a listing under a prefix it may read nothing of is refused (403). The names it
 * may not read are never fetched, so nothing about them (not even how many there are, or a page
 * token after one of them) can reach the answer. An export at a past point reads snapshots and
 * the log instead, which hold every name: it keeps only those under readablePrefixes before
 * anything else. A caller with full access gets the stores as they are.
 */
export function readableBy(stores: Stores, policy: Policy): Stores {
  if (coversEverything(policy, 'read')) return stores;
  const projection = stores.projection;
  // The projection's own object as prototype: every other method (and its table) stays as it is.
  const scoped: ProjectionStore = Object.create(projection, {
    page: {
      value: (prefix: string, limit: number, afterName?: string) =>
        pageAcross(projection, readableUnder(policy, prefix), limit, afterName),
    },
  });
  return { ...stores, projection: scoped };
}

/**
 * The prefixes under `prefix` the caller may read: the prefix itself with full access to it;
 * refused (403) when the caller may read nothing under it.
 */
export function readablePrefixes(policy: Policy, prefix: string): readonly string[] {
  return coversEverything(policy, 'read') ? [prefix] : readableUnder(policy, prefix);
}

/**
 * One page of names across several prefixes, in name order. Prefixes none of which starts with
 * another cover disjoint ranges of names, so their pages follow one another; a position (the
 * last name of a page) is always a readable name, inside one of the ranges.
 */
async function pageAcross(
  projection: ProjectionStore,
  prefixes: readonly string[],
  limit: number,
  afterName: string | undefined,
): Promise<StatePage> {
  const states: StatePage['states'] = [];
  for (const [index, prefix] of prefixes.entries()) {
    if (afterName !== undefined && rangeEndsBefore(prefix, afterName)) continue;
    const after = afterName?.startsWith(prefix) ? afterName : undefined;
    const page = await projection.page(prefix, limit - states.length, after);
    states.push(...page.states);
    if (page.lastName !== undefined) return { states, lastName: page.lastName };
    const last = states.at(-1);
    if (states.length >= limit && last && index < prefixes.length - 1) {
      return { states, lastName: last.name };
    }
  }
  return { states };
}

/** Whether every name under the prefix sorts before the name (the page resumes after them all). */
function rangeEndsBefore(prefix: string, name: string): boolean {
  return name > prefix && !name.startsWith(prefix);
}
