import { type LiveEntry, liveEntryOf } from './entry.ts';
import type { Commit, Revision } from './events.ts';
import { utf8Length } from './json.ts';
import { isSchemaEntryName } from './schema-target.ts';

/**
 * The whole configuration at one revision: every live entry (schemas aside), in name order.
 * A snapshot is a fold of the log up to its revision, so it never changes once taken, and any
 * two taken at the same revision are the same.
 */
export interface ConfigSnapshot {
  readonly revision: Revision;
  readonly entries: readonly LiveEntry[];
}

export const emptySnapshot: ConfigSnapshot = { revision: 0, entries: [] };

/**
 * The snapshot after the commits that follow it, in revision order. Every event carries its
 * entry's whole state, so each one replaces (or removes) its name's entry.
 */
export function snapshotAfter(base: ConfigSnapshot, commits: readonly Commit[]): ConfigSnapshot {
  const byName = new Map(base.entries.map((entry) => [entry.name, entry]));
  let revision = base.revision;
  for (const commit of commits) {
    if (commit.revision !== revision + 1) {
      throw new RangeError(
        `A snapshot at revision ${revision} cannot take the commit at revision ${commit.revision}.`,
      );
    }
    for (const event of commit.events) {
      if (isSchemaEntryName(event.name)) continue;
      if (event.type === 'ConfigValueSet') byName.set(event.name, liveEntryOf(event));
      else byName.delete(event.name);
    }
    revision = commit.revision;
  }
  return { revision, entries: [...byName.values()].sort(inNameOrder) };
}

function inNameOrder(a: LiveEntry, b: LiveEntry): number {
  // Names are ASCII (config-name.ts): code-unit order is DynamoDB's byte order.
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Entries whose name starts with any of the prefixes. */
export function entriesUnder(
  entries: readonly LiveEntry[],
  prefixes: readonly string[],
): LiveEntry[] {
  return entries.filter((entry) => prefixes.some((prefix) => entry.name.startsWith(prefix)));
}

/**
 * Whether a part that starts at `first` and ends before `next` (the next part's first name;
 * undefined for the last part) can hold a name under the prefix. Names are sorted, so a name
 * under the prefix sits in it only if the part ends after the prefix and starts before every
 * name under it ends.
 */
export function partMayHold(prefix: string, first: string, next: string | undefined): boolean {
  const endsAfterPrefix = next === undefined || next > prefix;
  const startsInTime = first <= prefix || first.startsWith(prefix);
  return endsAfterPrefix && startsInTime;
}

/**
 * When to take snapshots, and when one is worth reading. A read of the whole configuration at a
 * point reads the snapshot before it and the commits between: taking a new snapshot once the
 * commits since the last one outnumber its entries keeps both halves about the size of the
 * configuration, and costs one snapshot's writes per that many commits.
 */
export const snapshotPolicy = {
  /** Commits since the last snapshot that call for a new one, at least. */
  minCommits: 100,
  /**
   * A point further than this many times the policy's interval from its snapshot (the
   * snapshots stopped, or have not caught up yet) is read from the projection instead.
   */
  readableSpan: 4,
  /**
   * Bytes of log after a snapshot a read takes on (times readableSpan) however small the
   * snapshot: a few commits of a large import are still cheaper to fold than the projection.
   */
  minBytes: 1024 * 1024,
} as const;

/** The commits after a snapshot of `entryCount` entries that call for the next one. */
export function snapshotInterval(entryCount: number): number {
  return Math.max(entryCount, snapshotPolicy.minCommits);
}

export function snapshotDue(entryCount: number, commitsSince: number): boolean {
  return commitsSince >= snapshotInterval(entryCount);
}

/**
 * What an entry weighs in a snapshot, measured as a commit's changes are (log-store.ts
 * approximateBytes), so that the two can be compared.
 */
export function snapshotEntryBytes(entry: LiveEntry): number {
  return utf8Length(entry.value) + entry.name.length + 300;
}

/** The most bytes of log after a snapshot of `bytes` a read folds before it reads the projection. */
export function readableLogBytes(snapshotBytes: number): number {
  return snapshotPolicy.readableSpan * Math.max(snapshotBytes, snapshotPolicy.minBytes);
}

/** Whether reading the snapshot and the commits after it is the cheap way to a point. */
export function snapshotWorthReading(entryCount: number, commitsSince: number): boolean {
  return commitsSince <= snapshotPolicy.readableSpan * snapshotInterval(entryCount);
}
