import { randomUUID } from 'node:crypto';
import {
  assertOneOperationPerName,
  type ChangesetOperation,
  decideChangeset,
  type RevertTargets,
} from '#domain/changeset.ts';
import { type ConfigEvent, type DecidedEvent, type Revision, sequence } from '#domain/events.ts';
import { type Instant, nextCommitInstant } from '#domain/instant.ts';
import { limits } from '#domain/limits.ts';
import { schemaEntriesCovering } from '#domain/schema-target.ts';
import { type CommandOptions, commitDecided } from './commands.ts';
import { mapLimited } from './concurrency.ts';
import { LedgerView } from './ledger-view.ts';
import { assertConformsToSchemas } from './schema-check.ts';
import type { Stores } from './stores.ts';

export interface Changeset {
  readonly operations: readonly ChangesetOperation[];
  readonly actor: string;
  /** Recorded with every operation that has no comment of its own. */
  readonly comment?: string;
}

export interface ChangesetResult {
  /** The commit's revision; for a dry run, the revision the changeset was checked against. */
  readonly revision: Revision;
  /** When the commit occurred; absent for a dry run, which commits nothing. */
  readonly occurredAt?: Instant;
  /** One per operation, in the changeset's order: as committed, or (dry run) as decided. */
  readonly changes: ReadonlyArray<ConfigEvent | DecidedEvent>;
}

/**
 * Applies every operation of a changeset in one commit, so at one revision, or none of them:
 * one conditional put of one log item, so there is no state in which part of it is written.
 * Under contention it is decided again on the newer state, like any write.
 */
export async function applyChangeset(
  stores: Stores,
  changeset: Changeset,
  options: CommandOptions = {},
): Promise<ChangesetResult> {
  assertOneOperationPerName(changeset.operations);
  const targets = await revertTargets(stores, changeset.operations);
  const commit = await commitDecided(
    stores,
    {
      actor: changeset.actor,
      names: changeset.operations.map((operation) => operation.name),
      decide: (states) => decideChangeset(changeset.operations, states, { ...changeset, targets }),
    },
    options,
  );
  if (!commit) throw new TypeError('A changeset of at least one operation committed nothing.');
  return { revision: commit.revision, occurredAt: commit.occurredAt, changes: commit.events };
}

/**
 * What a changeset would do on the newest state, checked as for real, its size included, without
 * committing it. A changeset that passes may still meet a conflict if another write comes first.
 */
export async function checkChangeset(
  stores: Stores,
  changeset: Changeset,
  options: Pick<CommandOptions, 'now'> = {},
): Promise<ChangesetResult> {
  assertOneOperationPerName(changeset.operations);
  const names = changeset.operations.map((operation) => operation.name);
  const read = [...names, ...schemaEntriesCovering(names)];
  const view = await LedgerView.atNewest(stores, read);
  const [targets, states] = await Promise.all([
    revertTargets(stores, changeset.operations, view),
    view.statesOf(read),
  ]);
  const changes = decideChangeset(changeset.operations, states, { ...changeset, targets });
  await assertConformsToSchemas(changes, states);
  stores.log.assertFits(
    sequence(changes, {
      revision: view.revision + 1,
      occurredAt: nextCommitInstant((options.now ?? Date.now)(), view.occurredAt),
      actor: changeset.actor,
      commitId: randomUUID(),
    }),
  );
  return { revision: view.revision, changes };
}

/** The events the changeset's reverts restore, read once: a version never changes. */
async function revertTargets(
  stores: Stores,
  operations: readonly ChangesetOperation[],
  known?: LedgerView,
): Promise<RevertTargets> {
  const reverts = operations.flatMap((operation) => (operation.op === 'revert' ? [operation] : []));
  if (reverts.length === 0) return new Map();
  const view = known ?? (await LedgerView.atNewest(stores));
  const found = await mapLimited(
    reverts,
    limits.parallelReads,
    async (revert) =>
      [revert.name, await view.eventWithVersion(revert.name, revert.toVersion)] as const,
  );
  return new Map(found);
}
