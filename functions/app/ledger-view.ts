import { type EntryState, fold, initialState, stateAfter } from '#domain/entry.ts';
import { NotCaughtUpError, RevisionNotFoundError } from '#domain/errors.ts';
import type { Commit, ConfigEvent, Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import type { ProjectorProgress } from '#store/projection-store.ts';
import { mapLimited } from './concurrency.ts';
import type { Stores } from './stores.ts';

/**
 * The ledger read exactly at one revision, whether or not the projector has got there: the
 * projected views hold every commit up to the projector's progress, and the commits after it
 * (the tail) are read from the log itself. So a write can decide on the newest state, and a
 * reader can see its own write, without waiting for the projector.
 */
export class LedgerView {
  private constructor(
    private readonly stores: Stores,
    /** How far the projector had got when the view was opened. */
    readonly progress: ProjectorProgress,
    /** The commits after the progress, up to the view's revision. */
    readonly tail: readonly Commit[],
    /** The revision the view shows. */
    readonly revision: Revision,
    /** Projected items read along with the tail, by name (undefined: no item). */
    private readonly prefetched: ReadonlyMap<string, EntryState | undefined> = new Map(),
    /** The commit at the view's revision, when it was read (a write's view reads it). */
    readonly head?: Commit,
  ) {}

  /**
   * The ledger as of its newest commit. The progress is read first: every projected item read
   * later holds at least what the progress promises. The items of `names` are read at the same
   * time as the tail, as a write needs them.
   */
  static async atNewest(stores: Stores, names: readonly string[] = []): Promise<LedgerView> {
    const progress = await stores.projection.progress();
    // From the commit at the progress on: the newest commit is read even when the tail is empty.
    const from = Math.max(0, progress.revision - 1);
    const [read, items] = await Promise.all([
      stores.log.readAfter(from, { maxCommits: limits.tailMaxCommits + 1 }),
      // One request for up to 100 names: a write's name and the schemas over it come together.
      stores.projection.getMany(names),
    ]);
    if (!read.reachedEnd) {
      throw new NotCaughtUpError(from + read.commits.length, progress.revision);
    }
    const tail = read.commits.filter((commit) => commit.revision > progress.revision);
    const head = read.commits.at(-1);
    const revision = head?.revision ?? progress.revision;
    return new LedgerView(stores, progress, tail, revision, items, head);
  }

  /** The ledger as far as the projector has got: no read of the log at all. */
  static async projected(stores: Stores): Promise<LedgerView> {
    const progress = await stores.projection.progress();
    return new LedgerView(stores, progress, [], progress.revision);
  }

  /** The ledger at a given revision; throws when that revision has not happened. */
  static async at(stores: Stores, revision: Revision): Promise<LedgerView> {
    const progress = await stores.projection.progress();
    if (revision <= progress.revision) return new LedgerView(stores, progress, [], revision);
    if (revision - progress.revision > limits.tailMaxCommits) {
      // Far ahead of the projector: a revision not made yet is the caller's mistake, not a wait.
      if (!(await stores.log.get(revision))) {
        throw new RevisionNotFoundError(revision, (await stores.log.newest())?.revision ?? 0);
      }
      throw new NotCaughtUpError(revision, progress.revision);
    }
    const read = await stores.log.readAfter(progress.revision, {
      maxCommits: revision - progress.revision,
      through: revision,
    });
    const reached = read.commits.at(-1)?.revision ?? progress.revision;
    if (reached < revision) throw new RevisionNotFoundError(revision, reached);
    return new LedgerView(stores, progress, read.commits, revision);
  }

  /** When the view's newest commit occurred; undefined for an empty log. */
  get occurredAt(): Instant | undefined {
    return this.tail.at(-1)?.occurredAt ?? this.progress.occurredAt;
  }

  /** A name's state at the view's revision (or an earlier one). */
  async stateOf(name: string, at: Revision = this.revision): Promise<EntryState> {
    const fromTail = this.tailEvents(name, at).at(-1);
    if (fromTail) return stateAfter(fromTail);
    const projected = Math.min(at, this.progress.revision);
    const item = this.prefetched.has(name)
      ? this.prefetched.get(name)
      : await this.stores.projection.get(name);
    if (!item) return initialState(name);
    if (item.revision <= projected) return item;
    const event = await this.stores.history.newestAtOrBefore(name, projected);
    return event ? stateAfter(event) : initialState(name);
  }

  /** Several names' states at the view's revision, read in parallel. */
  async statesOf(names: readonly string[]): Promise<Map<string, EntryState>> {
    const states = await mapLimited(names, limits.parallelReads, (name) => this.stateOf(name));
    return new Map(states.map((state) => [state.name, state]));
  }

  /** A name's events after a revision, in order, up to the view's revision. */
  async historyOf(
    name: string,
    after: Revision,
    page: { limit: number; maxBytes: number },
  ): Promise<{ events: ConfigEvent[]; more: boolean }> {
    const projectedThrough = Math.min(this.revision, this.progress.revision);
    const projected = await this.stores.history.page(
      name,
      { after, through: projectedThrough },
      page.limit,
    );
    if (projected.lastRevision !== undefined) return { events: projected.events, more: true };
    const fromTail = this.tailEvents(name, this.revision).filter((event) => event.revision > after);
    const events = [...projected.events, ...fromTail];
    const fitting = withinBytes(events.slice(0, page.limit), page.maxBytes);
    return { events: fitting, more: events.length > fitting.length };
  }

  /** The event that gave a name a version, if it happened by the view's revision. */
  async eventWithVersion(name: string, version: number): Promise<ConfigEvent | undefined> {
    const fromTail = this.tailEvents(name, this.revision).find(
      (event) => event.version === version,
    );
    if (fromTail) return fromTail;
    const projectedThrough = Math.min(this.revision, this.progress.revision);
    return this.stores.history.withVersion(name, version, projectedThrough);
  }

  /** The view moved on by newer commits (read after it), as a writer that lost a race needs. */
  followedBy(newer: readonly Commit[]): LedgerView {
    const head = newer.at(-1) ?? this.head;
    const tail = [...this.tail, ...newer];
    return new LedgerView(
      this.stores,
      this.progress,
      tail,
      head?.revision ?? this.revision,
      this.prefetched,
      head,
    );
  }

  private tailEvents(name: string, through: Revision): ConfigEvent[] {
    return this.tail
      .filter((commit) => commit.revision <= through)
      .flatMap((commit) => commit.events.filter((event) => event.name === name));
  }
}

/** The first events whose values fit in a byte budget; always at least one. */
function withinBytes(events: readonly ConfigEvent[], maxBytes: number): ConfigEvent[] {
  let bytes = 0;
  const fitting: ConfigEvent[] = [];
  for (const event of events) {
    bytes += 300 + (event.type === 'ConfigValueSet' ? utf8Length(event.value) : 0);
    if (bytes > maxBytes && fitting.length > 0) break;
    fitting.push(event);
  }
  return fitting;
}

/** A name's newest state among events read from the log, on top of a known state. */
export function stateWith(state: EntryState, commits: readonly Commit[]): EntryState {
  const events = commits.flatMap((commit) => commit.events.filter((e) => e.name === state.name));
  const newest = fold(state.name, events);
  return newest.version > state.version ? newest : state;
}
