import { eventHash, genesisHash } from './chain.ts';
import type { Commit, ConfigEvent, Revision } from './events.ts';

/**
 * What verify can find wrong: an event whose content no longer matches its hash (altered); a
 * revision or version that should be there and is not (removed); an event where none belongs, or
 * one that does not chain to the event before it (inserted).
 */
export type FindingKind = 'altered' | 'removed' | 'inserted';

export interface Finding {
  readonly kind: FindingKind;
  /** Where the log puts it: the revision read, or the first one missing. */
  readonly revision: Revision;
  readonly name?: string;
  readonly version?: number;
  /** Which copy is wrong: the log (the source of truth) or the history projected from it. */
  readonly source: 'log' | 'history';
  readonly message: string;
}

/** A name's newest event as far as a chain has been followed: what its next event chains to. */
export interface ChainHead {
  readonly name: string;
  readonly version: number;
  readonly revision: Revision;
  /** Absent while the name's events are unchained (written before events were chained). */
  readonly hash?: string;
}

/** A version of a name and the hash an auditor recorded for it, to be found again unchanged. */
export interface PinnedHash {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
}

export interface VerifySummary {
  /** The first findings (at most maxFindings); findingCount says how many there were. */
  readonly findings: Finding[];
  readonly findingCount: number;
  readonly commits: number;
  readonly events: number;
  /** Events written before events were chained: not checkable, not tampering. */
  readonly unchained: number;
  /** The last revision followed. */
  readonly revision: Revision;
}

/** Enough to say what is wrong and where; a log rewritten wholesale would otherwise flood. */
export const maxFindings = 1000;

/**
 * Follows the log's commits in revision order and recomputes every name's chain: each event's
 * hash from its fields, each link to the name's previous event, the versions without gaps, and the
 * revisions without gaps. Given where to start (a revision and the heads of names there), it
 * checks a stretch of the log; given pinned hashes, it checks that each is found unchanged.
 */
export class ChainVerifier {
  private readonly heads = new Map<string, ChainHead>();
  private readonly pins = new Map<string, PinnedHash>();
  private readonly found: Finding[] = [];
  private findingCount = 0;
  private commits = 0;
  private events = 0;
  private unchained = 0;
  private revision: Revision;
  private readonly denseRevisions: boolean;

  constructor(
    start: {
      after?: Revision;
      heads?: Iterable<ChainHead>;
      pins?: Iterable<PinnedHash>;
      /**
       * Whether a missing revision is a finding: true reading the log itself; false reading the
       * change feed, which leaves out commits its reader is not shown (schema changes, names
       * outside the reader's prefixes), so only each name's own chain can be checked there.
       */
      denseRevisions?: boolean;
    } = {},
  ) {
    this.revision = start.after ?? 0;
    this.denseRevisions = start.denseRevisions ?? true;
    for (const head of start.heads ?? []) this.heads.set(head.name, head);
    for (const pin of start.pins ?? []) this.pins.set(pinKey(pin.name, pin.version), pin);
  }

  addCommit(commit: Commit): void {
    const expected = this.revision + 1;
    if (commit.revision > expected && this.denseRevisions) {
      const last = commit.revision - 1;
      this.report({
        kind: 'removed',
        revision: expected,
        source: 'log',
        message: `The log has no commit at revision${last > expected ? `s ${expected}–${last}` : ` ${expected}`}: revisions are dense, so ${last > expected ? 'they were' : 'it was'} removed.`,
      });
    } else if (commit.revision < expected) {
      this.report({
        kind: 'inserted',
        revision: commit.revision,
        source: 'log',
        message: `Revision ${commit.revision} comes again after revision ${this.revision}.`,
      });
    }
    this.revision = Math.max(this.revision, commit.revision);
    this.commits += 1;
    for (const event of commit.events) this.addEvent(event);
  }

  /** Records a finding made outside the chain (e.g. the history disagreeing with the log). */
  report(finding: Finding): void {
    this.findingCount += 1;
    if (this.found.length < maxFindings) this.found.push(finding);
  }

  /** The heads of every name followed so far: what an auditor pins. */
  headsFollowed(): ChainHead[] {
    return [...this.heads.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** What was found; pinned hashes not met by now are reported as removed. */
  summary(): VerifySummary {
    for (const pin of this.pins.values()) {
      this.report({
        kind: 'removed',
        revision: this.revision,
        name: pin.name,
        version: pin.version,
        source: 'log',
        message: `Version ${pin.version} of '${pin.name}', pinned with hash ${pin.hash}, is not in the log.`,
      });
    }
    this.pins.clear();
    return {
      findings: [...this.found],
      findingCount: this.findingCount,
      commits: this.commits,
      events: this.events,
      unchained: this.unchained,
      revision: this.revision,
    };
  }

  private addEvent(event: ConfigEvent): void {
    this.events += 1;
    const head = this.heads.get(event.name);
    const consecutive = this.checkVersion(event, head?.version ?? 0);
    this.checkHash(event, head, consecutive);
    this.checkPin(event);
    if (event.version > (head?.version ?? 0)) {
      const { name, version, revision, hash } = event;
      this.heads.set(name, { name, version, revision, ...(hash === undefined ? {} : { hash }) });
    }
  }

  /** Reports a gap or a repeat in the name's versions; true when the event follows its head. */
  private checkVersion(event: ConfigEvent, headVersion: number): boolean {
    const expected = headVersion + 1;
    if (event.version === expected) return true;
    if (event.version > expected) {
      const last = event.version - 1;
      this.reportAt(
        event,
        'removed',
        `Version${last > expected ? `s ${expected}–${last}` : ` ${expected}`} of '${event.name}' ${last > expected ? 'are' : 'is'} missing before version ${event.version}.`,
      );
    } else {
      this.reportAt(
        event,
        'inserted',
        `Version ${event.version} of '${event.name}' appears again, after version ${headVersion}.`,
      );
    }
    return false;
  }

  private checkHash(event: ConfigEvent, head: ChainHead | undefined, consecutive: boolean): void {
    const { hash, previousHash } = event;
    if (hash === undefined || previousHash === undefined) {
      this.checkUnchained(event, head);
      return;
    }
    if (eventHash({ ...event, previousHash }) !== hash) {
      this.reportAt(
        event,
        'altered',
        `Version ${event.version} of '${event.name}' no longer matches its hash: its content or its hash was changed.`,
      );
    }
    const expected = head?.hash ?? genesisHash;
    if (consecutive && previousHash !== expected) {
      this.reportAt(
        event,
        'inserted',
        `Version ${event.version} of '${event.name}' does not chain to version ${head?.version ?? 0} (its previous hash is not that event's hash): one of the two was put there, or rewritten with a new hash.`,
      );
    }
  }

  /** An event without a hash: legacy while its chain has not started, tampering after. */
  private checkUnchained(event: ConfigEvent, head: ChainHead | undefined): void {
    const partlyHashed = event.hash !== undefined || event.previousHash !== undefined;
    if (head?.hash === undefined && !partlyHashed) {
      this.unchained += 1;
      return;
    }
    const lacking = event.hash === undefined ? 'its hash' : 'its previous hash';
    this.reportAt(
      event,
      'altered',
      `Version ${event.version} of '${event.name}' lacks ${lacking}, though its chain had started.`,
    );
  }

  private checkPin(event: ConfigEvent): void {
    const key = pinKey(event.name, event.version);
    const pin = this.pins.get(key);
    if (!pin) return;
    this.pins.delete(key);
    if (pin.hash !== event.hash) {
      this.reportAt(
        event,
        'altered',
        `Version ${event.version} of '${event.name}' has hash ${event.hash ?? '(none)'}, not the pinned ${pin.hash}.`,
      );
    }
  }

  private reportAt(event: ConfigEvent, kind: FindingKind, message: string): void {
    const { name, version, revision } = event;
    this.report({ kind, revision, name, version, source: 'log', message });
  }
}

function pinKey(name: string, version: number): string {
  return `${version}\u0000${name}`;
}
