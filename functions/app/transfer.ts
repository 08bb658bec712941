import { inBatches } from '#domain/batches.ts';
import { decide } from '#domain/decide.ts';
import type { EntryState, LiveEntry } from '#domain/entry.ts';
import { DocumentTooLargeError } from '#domain/errors.ts';
import type { DecidedEvent, Revision } from '#domain/events.ts';
import { type JsonText, utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { SchemaViolationError } from '#domain/schema-errors.ts';
import { schemaEntriesCovering } from '#domain/schema-target.ts';
import { commitDecided } from './commands.ts';
import { LedgerView } from './ledger-view.ts';
import { pageAt } from './pages-at.ts';
import { awaitProjected, type PointQuery, revisionOf } from './points.ts';
import type { AtRevision } from './queries.ts';
import { entriesViolating } from './schema-check.ts';
import { configurationAt, type SnapshotStores } from './snapshotting.ts';
import type { Stores } from './stores.ts';

/** Where an export at a past point may read snapshots, and what of them the caller may see. */
export interface SnapshotSource {
  readonly stores: SnapshotStores;
  /** The prefixes under the export's own that the caller may read (readablePrefixes). */
  readonly prefixes: readonly string[];
}

/**
 * Every live entry under a prefix at a point, within the document limit. A past point is read
 * from the snapshot before it and the log after it when one is near (two reads of about the
 * configuration's size); now, or without a near snapshot, from the projection, page after page.
 */
export async function exportEntries(
  stores: Stores,
  options: { prefix: string; point: PointQuery; snapshots?: SnapshotSource },
): Promise<AtRevision<LiveEntry[]>> {
  const revision = await revisionOf(stores, options.point);
  const fromSnapshot =
    options.point.kind === 'newest' || !options.snapshots
      ? undefined
      : await configurationAt(options.snapshots.stores, revision, options.snapshots.prefixes);
  const entries = fromSnapshot ?? (await projectedEntries(stores, options.prefix, revision));
  assertExportable(entries);
  return { revision, result: entries };
}

async function projectedEntries(
  stores: Stores,
  prefix: string,
  revision: Revision,
): Promise<LiveEntry[]> {
  await awaitProjected(stores, revision);
  const entries: LiveEntry[] = [];
  let size = 0;
  let afterName: string | undefined;
  do {
    const page = await pageAt(stores, revision, {
      prefix,
      limit: limits.pageSizeMax,
      afterName,
      maxBytes: limits.documentMaxBytes,
    });
    for (const entry of page.entries) {
      size += entryDocumentBytes(entry.name, entry.value);
      // Stops reading as soon as the document cannot be answered.
      if (size > limits.documentMaxBytes) throw documentTooLarge();
      entries.push(entry);
    }
    afterName = page.lastName;
  } while (afterName !== undefined);
  return entries;
}

function assertExportable(entries: readonly LiveEntry[]): void {
  let size = 0;
  for (const entry of entries) size += entryDocumentBytes(entry.name, entry.value);
  if (size > limits.documentMaxBytes) throw documentTooLarge();
  if (entries.length > limits.importMaxEntries) {
    throw new DocumentTooLargeError(
      `The export would hold ${entries.length} entries, more than the ${limits.importMaxEntries} an import takes; export a narrower prefix.`,
    );
  }
}

function documentTooLarge(): DocumentTooLargeError {
  return new DocumentTooLargeError(
    `The export would exceed ${limits.documentMaxBytes} bytes; export a narrower prefix.`,
  );
}

/** What one entry weighs in an export or import document: its value, name and fields. */
export function entryDocumentBytes(name: string, value: JsonText): number {
  return utf8Length(value) + utf8Length(name) + 100;
}

export interface ImportEntry {
  readonly name: string;
  readonly value: JsonText;
}

export type ImportChange = 'create' | 'update' | 'unchanged' | 'conflict';

export interface ImportOutcome {
  readonly name: string;
  readonly change: ImportChange;
  readonly fromVersion?: number;
  readonly toVersion?: number;
  /** The revision of the commit that wrote it. */
  readonly revision?: Revision;
}

export interface ImportOptions {
  readonly dryRun: boolean;
  readonly actor: string;
  readonly comment: string;
}

/**
 * Applies a document as ordinary events: one set per name whose value differs, none for the
 * rest, in as few commits as fit in the log's items (one, and so atomic, for most documents).
 * Each set expects the version the plan saw, so a concurrent change is reported as a conflict
 * for that name instead of being overwritten. A dry run only returns the plan.
 */
export async function importEntries(
  stores: Stores,
  entries: readonly ImportEntry[],
  options: ImportOptions,
): Promise<AtRevision<ImportOutcome[]>> {
  const names = entries.map((entry) => entry.name);
  // With the schemas over them: every entry is checked before the first commit is written.
  const read = [...names, ...schemaEntriesCovering(names)];
  const view = await LedgerView.atNewest(stores, read);
  const states = await view.statesOf(read);
  await assertEntriesConform(entries, states);
  const plan = entries.map((entry) => planned(entry, states.get(entry.name)));
  if (options.dryRun) return { revision: view.revision, result: plan };
  const outcomes = new Map(plan.map((outcome) => [outcome.name, outcome]));
  let revision = view.revision;
  for (const chunk of commitChunks(
    entries.filter((entry) => outcomes.get(entry.name)?.change !== 'unchanged'),
  )) {
    revision = (await commitChunk(stores, chunk, outcomes, options)) ?? revision;
  }
  return {
    revision,
    result: entries.map((entry) => outcomes.get(entry.name) ?? planned(entry, undefined)),
  };
}

/** Refuses the whole import, naming every entry (up to a limit) that breaks a schema. */
async function assertEntriesConform(
  entries: readonly ImportEntry[],
  states: ReadonlyMap<string, EntryState>,
): Promise<void> {
  const violating = await entriesViolating(entries, states);
  if (violating.length > 0) throw new SchemaViolationError(violating);
}

function planned(entry: ImportEntry, state: EntryState | undefined): ImportOutcome {
  const current = state?.current;
  if (current?.value === entry.value) {
    return { name: entry.name, change: 'unchanged', fromVersion: current.version };
  }
  return current
    ? { name: entry.name, change: 'update', fromVersion: current.version }
    : { name: entry.name, change: 'create' };
}

/** Commits one chunk; entries whose state moved since the plan become conflicts. */
async function commitChunk(
  stores: Stores,
  chunk: readonly ImportEntry[],
  outcomes: Map<string, ImportOutcome>,
  options: ImportOptions,
): Promise<Revision | undefined> {
  const planVersion = (name: string) => outcomes.get(name)?.fromVersion;
  let conflicts: ImportOutcome[] = [];
  const commit = await commitDecided(stores, {
    actor: options.actor,
    names: chunk.map((entry) => entry.name),
    decide: (states) => {
      conflicts = [];
      return chunk.flatMap((entry): DecidedEvent[] => {
        const state = states.get(entry.name);
        const expected = planVersion(entry.name);
        if (!state || (state.current?.version ?? undefined) !== expected) {
          conflicts.push({
            name: entry.name,
            change: 'conflict',
            fromVersion: state?.version ?? 0,
          });
          return [];
        }
        // 0 means "must not exist": the right expectation for a name with no history at all.
        const set = {
          kind: 'set' as const,
          name: entry.name,
          value: entry.value,
          comment: options.comment,
        };
        return [decide({ ...set, expectedVersion: expected ?? 0 }, state)];
      });
    },
  });
  for (const conflict of conflicts) outcomes.set(conflict.name, conflict);
  for (const event of commit?.events ?? []) {
    const before = outcomes.get(event.name);
    if (before)
      outcomes.set(event.name, { ...before, toVersion: event.version, revision: event.revision });
  }
  return commit?.revision;
}

/** Bytes of values one commit of an import may carry: well inside DynamoDB's item limit. */
const chunkMaxBytes = 300 * 1024;

/**
 * What each event's hash chain adds to a log item: previousHash and hash, 64 hex characters
 * each, and their attribute names. 1000 small entries would otherwise fill the item past
 * DynamoDB's limit by these bytes alone.
 */
const chainBytesPerEvent = 150;

function commitChunks(entries: readonly ImportEntry[]): ImportEntry[][] {
  return inBatches(
    entries,
    { maxBytes: chunkMaxBytes, maxItems: limits.commitMaxEvents },
    (entry) => entryDocumentBytes(entry.name, entry.value) + chainBytesPerEvent,
  );
}
