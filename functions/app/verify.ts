import { canonicalJson } from '#domain/canonical-json.ts';
import {
  type ChainHead,
  ChainVerifier,
  type Finding,
  type VerifySummary,
} from '#domain/chain-verifier.ts';
import type { EntryState } from '#domain/entry.ts';
import { RevisionNotFoundError } from '#domain/errors.ts';
import type { Commit, ConfigEvent, Revision } from '#domain/events.ts';
import { limits } from '#domain/limits.ts';
import type { ScannedItem } from '#store/log-store.ts';
import { mapLimited } from './concurrency.ts';
import { LedgerView } from './ledger-view.ts';
import type { Stores } from './stores.ts';

export interface VerifyQuery {
  /** Verify the commits after this revision; 0 starts at the beginning. */
  readonly after: Revision;
  /** Log items at most in this page. */
  readonly limit: number;
}

export interface VerifyPage extends VerifySummary {
  readonly after: Revision;
  /** True when more of the log follows: ask again with `after` set to `revision`. */
  readonly more: boolean;
}

/**
 * Verifies a stretch of the log, the source of truth: every event's hash recomputed, every link
 * to the name's previous event, versions and revisions without gaps; and the history the
 * projector wrote for those revisions compared with the log, event by event. A page starts from
 * the names' heads as of `after`, so pages can be verified one by one within a request's time
 * and size limits; the heads come from the projected views, which the pages before checked.
 */
export async function verifyLog(stores: Stores, query: VerifyQuery): Promise<VerifyPage> {
  const progress = await stores.projection.progress();
  const scan = await stores.log.scanAfter(query.after, query.limit);
  if (scan.items.length === 0 && query.after > progress.revision) {
    // Past the end of the log, and of all the projector ever saw: a revision not made yet.
    const newest = await stores.log.newestRevision();
    if (query.after > newest) throw new RevisionNotFoundError(query.after, newest);
  }
  const commits = scan.items.flatMap((item) => ('commit' in item ? [item.commit] : []));
  const names = [...new Set(commits.flatMap((commit) => commit.events.map((e) => e.name)))];
  const verifier = new ChainVerifier({
    after: query.after,
    heads: await headsAt(stores, query.after, names),
  });
  for (const item of scan.items) addItem(verifier, item);
  const through = Math.min(verifier.summary().revision, progress.revision);
  await compareHistory(stores, verifier, commits, names, { after: query.after, through });
  if (!scan.more) reportProjectedBeyondLog(verifier, progress.revision);
  return { ...verifier.summary(), after: query.after, more: scan.more };
}

function addItem(verifier: ChainVerifier, item: ScannedItem): void {
  if ('commit' in item) {
    verifier.addCommit(item.commit);
    return;
  }
  verifier.report({
    kind: 'altered',
    revision: item.revision,
    source: 'log',
    message: `The log item at revision ${item.revision} is not a commit any more: ${item.corrupt}`,
  });
}

/** Each name's head just before the page: where its chain goes on from. */
async function headsAt(
  stores: Stores,
  after: Revision,
  names: readonly string[],
): Promise<ChainHead[]> {
  if (after === 0 || names.length === 0) return [];
  const view = await LedgerView.at(stores, after);
  const states = await mapLimited(names, limits.parallelReads, (name) => view.stateOf(name));
  return states.filter((state) => state.version > 0).map(headOf);
}

function headOf(state: EntryState): ChainHead {
  const { name, version, revision, hash } = state;
  return { name, version, revision, ...(hash === undefined ? {} : { hash }) };
}

/**
 * The history's items for the page's names and revisions (those the projector has applied)
 * against the log's events: one missing, one extra, or one that differs is reported.
 */
async function compareHistory(
  stores: Stores,
  verifier: ChainVerifier,
  commits: readonly Commit[],
  names: readonly string[],
  range: { after: Revision; through: Revision },
): Promise<void> {
  const logged = new Map<string, ConfigEvent>();
  for (const commit of commits) {
    for (const event of commit.events) logged.set(eventKey(event.name, event.revision), event);
  }
  await mapLimited(names, limits.parallelReads, async (name) => {
    const items = await stores.history.itemsBetween(name, range);
    const seen = new Set<Revision>();
    for (const item of items) {
      seen.add(item.revision);
      const finding = historyFinding(name, item, logged.get(eventKey(name, item.revision)));
      if (finding) verifier.report(finding);
    }
    for (const event of logged.values()) {
      if (event.name === name && event.revision <= range.through && !seen.has(event.revision)) {
        verifier.report(missingFromHistory(event));
      }
    }
  });
}

function historyFinding(
  name: string,
  item: { revision: Revision; event?: ConfigEvent; corrupt?: string },
  logged: ConfigEvent | undefined,
): Finding | undefined {
  const at = { name, revision: item.revision, source: 'history' as const };
  if (!logged) {
    return {
      ...at,
      kind: 'inserted',
      ...(item.event ? { version: item.event.version } : {}),
      message: `The history has an event of '${name}' at revision ${item.revision}; the log has none.`,
    };
  }
  if (item.event && canonicalJson(item.event) === canonicalJson(logged)) return undefined;
  return {
    ...at,
    kind: 'altered',
    version: logged.version,
    message: `The history's event of '${name}' at revision ${item.revision} differs from the log's${item.corrupt ? `: ${item.corrupt}` : '.'}`,
  };
}

function missingFromHistory(event: ConfigEvent): Finding {
  const { name, version, revision } = event;
  return {
    kind: 'removed',
    name,
    version,
    revision,
    source: 'history',
    message: `The history lacks version ${version} of '${name}', which the log has at revision ${revision}.`,
  };
}

/** The projector applied revisions up to its progress: the log must still hold them. */
function reportProjectedBeyondLog(verifier: ChainVerifier, projected: Revision): void {
  const last = verifier.summary().revision;
  if (projected <= last) return;
  verifier.report({
    kind: 'removed',
    revision: last + 1,
    source: 'log',
    message: `The log ends at revision ${last}, but revisions up to ${projected} were committed and projected: the newest were removed.`,
  });
}

function eventKey(name: string, revision: Revision): string {
  return `${revision}\u0000${name}`;
}
