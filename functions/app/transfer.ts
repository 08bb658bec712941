import type { LiveEntry } from '#domain/entry.ts';
import { DocumentTooLargeError, VersionConflictError } from '#domain/errors.ts';
import type { Instant } from '#domain/instant.ts';
import { type JsonText, utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import type { EventStore } from '#store/event-store.ts';
import { setValue } from './commands.ts';
import { mapLimited } from './concurrency.ts';
import { snapshotAt } from './snapshots.ts';
import { currentState } from './states.ts';
import type { Stores } from './stores.ts';

/** Every live entry under a prefix, now or at an instant, page after page. */
export async function exportEntries(
  stores: Stores,
  options: { prefix: string; at?: Instant },
): Promise<LiveEntry[]> {
  const entries: LiveEntry[] = [];
  let size = 0;
  let afterName: string | undefined;
  do {
    const page = { prefix: options.prefix, limit: limits.pageSizeMax, afterName };
    const result = options.at
      ? await snapshotAt(stores, options.at, page)
      : await stores.projection.list(page.prefix, page.limit, page.afterName);
    for (const entry of result.entries) {
      size += utf8Length(entry.value) + entry.name.length + 100;
      if (size > limits.documentMaxBytes) {
        throw new DocumentTooLargeError(
          `The export would exceed ${limits.documentMaxBytes} bytes; export a narrower prefix.`,
        );
      }
      entries.push(entry);
    }
    afterName = result.lastName;
  } while (afterName !== undefined);
  return entries;
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
}

export interface ImportOptions {
  readonly dryRun: boolean;
  readonly actor: string;
  readonly comment: string;
}

/**
 * Applies a document as ordinary events: one set per name whose value differs, none for the
 * rest. Each write expects the version the plan saw, so a concurrent change is reported as a
 * conflict for that name instead of being overwritten. A dry run only returns the plan.
 */
export async function importEntries(
  events: EventStore,
  entries: readonly ImportEntry[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  return mapLimited(entries, 16, async (entry) => {
    const state = await currentState(events, entry.name);
    const current = state.current;
    if (current?.value === entry.value) {
      return { name: entry.name, change: 'unchanged', fromVersion: current.version };
    }
    const change = current ? 'update' : 'create';
    const fromVersion = current ? { fromVersion: current.version } : {};
    if (options.dryRun) return { name: entry.name, change, ...fromVersion };
    return applyOne(events, entry, state.version, options).then(
      (toVersion) => ({ name: entry.name, change, ...fromVersion, toVersion }),
      (error: unknown) => conflictOrThrow(entry.name, error),
    );
  });
}

async function applyOne(
  events: EventStore,
  entry: ImportEntry,
  expectedVersion: number,
  options: ImportOptions,
): Promise<number> {
  const { entry: written } = await setValue(events, {
    name: entry.name,
    value: entry.value,
    // 0 means "must not exist": the right expectation for a name with no history at all.
    expectedVersion,
    actor: options.actor,
    comment: options.comment,
  });
  return written.version;
}

function conflictOrThrow(name: string, error: unknown): ImportOutcome {
  if (!(error instanceof VersionConflictError)) throw error;
  return { name, change: 'conflict', fromVersion: error.currentVersion };
}
