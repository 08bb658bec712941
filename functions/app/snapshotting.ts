import type { LiveEntry } from '#domain/entry.ts';
import type { Commit, Revision } from '#domain/events.ts';
import {
  type ConfigSnapshot,
  emptySnapshot,
  entriesUnder,
  partMayHold,
  readableLogBytes,
  snapshotAfter,
  snapshotDue,
  snapshotWorthReading,
} from '#domain/snapshot.ts';
import { CorruptCommitError } from '#store/log-codec.ts';
import type { LogStore } from '#store/log-store.ts';
import type { PartRange, SnapshotManifest, SnapshotStore } from '#store/snapshot-store.ts';

/** What taking and reading snapshots needs: the log they fold, and where they are kept. */
export interface SnapshotStores {
  readonly log: LogStore;
  readonly snapshots: SnapshotStore;
}

export type SnapshotOutcome =
  | {
      readonly taken: true;
      readonly revision: Revision;
      readonly entryCount: number;
      readonly parts: number;
      /** Commits folded into the previous snapshot to make this one. */
      readonly commitsFolded: number;
    }
  | {
      readonly taken: false;
      /** The newest snapshot's revision (0: none yet). */
      readonly revision: Revision;
      readonly commitsSince: number;
    };

/**
 * Takes a snapshot at the log's newest revision when the commits since the last one call for
 * it (snapshotPolicy), or whenever the log has moved when forced: the last snapshot with the
 * commits after it, folded. It reads nothing but snapshots and the log, so takers may run at
 * once, crash anywhere or run again: each writes the same snapshot for the same revision, and
 * none is read before it is whole.
 */
export async function takeSnapshotIfDue(
  stores: SnapshotStores,
  options: { force?: boolean } = {},
): Promise<SnapshotOutcome> {
  const head = (await stores.log.newest())?.revision ?? 0;
  // Eventually consistent: an older snapshot than the newest only means more log to fold.
  const last = await stores.snapshots.newestAtOrBefore(head);
  const since = head - (last?.revision ?? 0);
  const due = options.force ? since > 0 : snapshotDue(last?.entryCount ?? 0, since);
  if (!due) {
    return { taken: false, revision: last?.revision ?? 0, commitsSince: since };
  }
  const base = last ? await snapshotOf(stores.snapshots, last) : emptySnapshot;
  const commits = await commitsBetween(stores.log, base.revision, head);
  // No byte bound was set, so the commits are all there.
  const next = snapshotAfter(base, commits ?? []);
  const manifest = await stores.snapshots.write(next.revision, next.entries);
  return {
    taken: true,
    revision: manifest.revision,
    entryCount: manifest.entryCount,
    parts: manifest.firstNames.length,
    commitsFolded: since,
  };
}

/**
 * The live entries under some prefixes at a revision the log has reached, from the snapshot
 * before it and the commits between, in name order; undefined when no snapshot is near enough
 * to make that cheaper than the projection: too many commits after it (snapshotWorthReading),
 * or too many bytes of them (readableLogBytes). Reads only what never changes, so every read is
 * eventually consistent and checked: a snapshot part or a commit a replica does not have yet is
 * read again strongly, never left out.
 */
export async function configurationAt(
  stores: SnapshotStores,
  revision: Revision,
  prefixes: readonly string[],
): Promise<LiveEntry[] | undefined> {
  const manifest = await stores.snapshots.newestAtOrBefore(revision);
  const from = manifest?.revision ?? 0;
  if (!snapshotWorthReading(manifest?.entryCount ?? 0, revision - from)) return undefined;
  const maxBytes = readableLogBytes(manifest?.bytes ?? 0);
  const commits = await commitsBetween(stores.log, from, revision, maxBytes);
  if (!commits) return undefined;
  const base = manifest ? await entriesUnderPrefixes(stores.snapshots, manifest, prefixes) : [];
  return entriesUnder(snapshotAfter({ revision: from, entries: base }, commits).entries, prefixes);
}

async function snapshotOf(
  snapshots: SnapshotStore,
  manifest: SnapshotManifest,
): Promise<ConfigSnapshot> {
  const entries = await snapshots.entriesOf(manifest, {
    first: 0,
    last: manifest.firstNames.length - 1,
  });
  return { revision: manifest.revision, entries };
}

/** The entries of the parts that may hold names under any of the prefixes. */
async function entriesUnderPrefixes(
  snapshots: SnapshotStore,
  manifest: SnapshotManifest,
  prefixes: readonly string[],
): Promise<LiveEntry[]> {
  const { firstNames } = manifest;
  const wanted = firstNames.flatMap((first, position) =>
    prefixes.some((prefix) => partMayHold(prefix, first, firstNames[position + 1]))
      ? [position]
      : [],
  );
  const entries: LiveEntry[] = [];
  for (const range of consecutiveRanges(wanted)) {
    entries.push(...(await snapshots.entriesOf(manifest, range)));
  }
  return entries;
}

function consecutiveRanges(positions: readonly number[]): PartRange[] {
  const ranges: PartRange[] = [];
  for (const position of positions) {
    const last = ranges.at(-1);
    if (last && last.last === position - 1) ranges[ranges.length - 1] = { ...last, last: position };
    else ranges.push({ first: position, last: position });
  }
  return ranges;
}

/**
 * Every commit after one revision and up to another the log has reached, or undefined when
 * their values weigh more than `maxBytes`. Read eventually consistent first: the log has no
 * gaps, so such a read keeps the unbroken run of revisions it got, and whatever a replica lacked
 * is read again strongly.
 */
export async function commitsBetween(
  log: LogStore,
  after: Revision,
  through: Revision,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Commit[] | undefined> {
  if (through <= after) return [];
  const eventual = await log.readAfter(after, {
    maxCommits: through - after,
    through,
    maxBytes,
    eventual: true,
  });
  if (eventual.full) return undefined;
  const reached = eventual.commits.at(-1)?.revision ?? after;
  if (reached >= through) return eventual.commits;
  const rest = await log.readAfter(reached, {
    maxCommits: through - reached,
    through,
    maxBytes: maxBytes - eventual.bytes,
  });
  if (rest.full) return undefined;
  if ((rest.commits.at(-1)?.revision ?? reached) < through) {
    throw new CorruptCommitError(
      `The log has a gap after revision ${rest.commits.at(-1)?.revision ?? reached}.`,
    );
  }
  return [...eventual.commits, ...rest.commits];
}
