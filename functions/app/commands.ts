import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DeleteValue, decide, type SetValue } from '#domain/decide.ts';
import { type EntryState, type LiveEntry, liveEntryOf } from '#domain/entry.ts';
import { CommitTooLargeError, WriteContentionError } from '#domain/errors.ts';
import {
  type Commit,
  type ConfigEvent,
  type DecidedEvent,
  type Revision,
  sequence,
} from '#domain/events.ts';
import { nextCommitInstant } from '#domain/instant.ts';
import { limits } from '#domain/limits.ts';
import { schemaEntriesCovering } from '#domain/schema-target.ts';
import { LedgerView, stateWith } from './ledger-view.ts';
import { assertConformsToSchemas } from './schema-check.ts';
import type { Stores } from './stores.ts';

export interface SetResult {
  readonly entry: LiveEntry;
  /** True when the write brought the entry into existence (absent or deleted before). */
  readonly created: boolean;
}

export interface CommandOptions {
  readonly now?: () => number;
  /**
   * How long a write keeps trying for a revision while others win them, before it answers
   * 503 write_contention. @default 8 s: inside a Lambda's 10 s and API Gateway's 30 s.
   */
  readonly retryBudgetMs?: number;
}

/** Who writes, and the names whose states a decision needs. */
export interface CommitRequest {
  readonly actor: string;
  readonly names: readonly string[];
  /**
   * The events to commit, decided on the names' states at the newest revision (`revision`: it is
   * committed at the next one unless another commit comes first); none: no commit.
   */
  readonly decide: (states: ReadonlyMap<string, EntryState>, revision: Revision) => DecidedEvent[];
}

export async function setValue(
  stores: Stores,
  command: Omit<SetValue, 'kind'> & { actor: string },
  options: CommandOptions = {},
): Promise<SetResult> {
  const { event, before } = await commitOne(
    stores,
    { ...command, decide: (state) => decide({ ...command, kind: 'set' }, state) },
    options,
  );
  return setResultOf(event, before);
}

export async function deleteValue(
  stores: Stores,
  command: Omit<DeleteValue, 'kind'> & { actor: string },
  options: CommandOptions = {},
): Promise<ConfigEvent> {
  const decideDelete = (state: EntryState) => decide({ ...command, kind: 'delete' }, state);
  return (await commitOne(stores, { ...command, decide: decideDelete }, options)).event;
}

/** A set's result: the entry it wrote, and whether that brought the entry into existence. */
export function setResultOf(event: ConfigEvent, before: EntryState): SetResult {
  if (event.type !== 'ConfigValueSet') throw new TypeError('A set decided something else.');
  return { entry: liveEntryOf(event), created: before.current === undefined };
}

/** A write of one name: its event, and the state it was decided on. */
export async function commitOne(
  stores: Stores,
  write: { actor: string; name: string; decide: (state: EntryState) => DecidedEvent },
  options: CommandOptions = {},
): Promise<{ event: ConfigEvent; before: EntryState }> {
  let before: EntryState | undefined;
  const committed = await commitDecided(
    stores,
    {
      actor: write.actor,
      names: [write.name],
      decide: (states) => {
        before = states.get(write.name);
        if (!before) throw new TypeError(`No state was read for ${write.name}.`);
        return [write.decide(before)];
      },
    },
    options,
  );
  const event = committed?.events[0];
  if (!event || !before) throw new TypeError('A write of one name committed nothing.');
  return { event, before };
}

const defaultRetryBudgetMs = 8_000;

/**
 * Decides on the states at the newest revision and appends the commit at the next one. When
 * another commit takes that revision first, the commits that came in between are read, the
 * decision is taken again on top of them, and the append is tried at the revision after. A
 * command with an expected version then fails with a conflict (it asked to detect exactly that);
 * a blind one applies on top, so no update is lost. Returns undefined when there was nothing to
 * commit.
 */
export async function commitDecided(
  stores: Stores,
  request: CommitRequest,
  options: CommandOptions = {},
): Promise<Commit | undefined> {
  const now = options.now ?? Date.now;
  const deadline = performance.now() + (options.retryBudgetMs ?? defaultRetryBudgetMs);
  const commitId = randomUUID();
  const startedAt = performance.now();
  // The schemas that may apply are read with the names, at the same revision, so a decision is
  // checked against exactly the schemas committed before it.
  const names = [...request.names, ...schemaEntriesCovering(request.names)];
  let view = await LedgerView.atNewest(stores, names);
  let states = await view.statesOf(names);
  for (let attempt = 1; ; attempt++) {
    const decided = request.decide(states, view.revision);
    if (decided.length === 0) return undefined;
    await assertConformsToSchemas(decided, states);
    const commit = sequence(decided, {
      revision: view.revision + 1,
      occurredAt: nextCommitInstant(now(), view.occurredAt),
      actor: request.actor,
      commitId,
    });
    if (await appended(stores, commit)) return commit;
    const newer = await stores.log.readAfter(view.revision, { maxCommits: limits.tailMaxCommits });
    const ours = newer.commits.find((candidate) => candidate.commitId === commitId);
    if (ours) return ours;
    view = view.followedBy(newer.commits);
    states = new Map([...states].map(([name, state]) => [name, stateWith(state, newer.commits)]));
    if (performance.now() >= deadline) throw new WriteContentionError(attempt);
    await sleep(backoffMs(performance.now() - startedAt));
  }
}

/**
 * Appends, and settles an ambiguous failure (the request may have been applied before the error
 * reached us) by reading what now stands at the revision.
 */
async function appended(stores: Stores, commit: Commit): Promise<boolean> {
  try {
    return await stores.log.append(commit);
  } catch (error) {
    // Refused before it was sent: nothing to settle.
    if (error instanceof CommitTooLargeError) throw error;
    const standing = await stores.log.get(commit.revision).catch(() => undefined);
    if (standing?.commitId === commit.commitId) return true;
    throw error;
  }
}

/**
 * A little jitter before trying the next revision, less the longer a writer has waited. A writer
 * that lost has just read what beat it and is ready at once; the jitter keeps writers that lost
 * together from colliding again all at once, and shrinking it with age lets those that have
 * waited longest go first, so that none keeps losing until it gives up.
 */
function backoffMs(waitedMs: number): number {
  return (Math.random() * 20) / (1 + waitedMs / 200);
}
