import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventHash, genesisHash } from '#domain/chain.ts';
import { ChainVerifier, type Finding } from '#domain/chain-verifier.ts';
import { decide } from '#domain/decide.ts';
import { type EntryState, initialState, stateAfter } from '#domain/entry.ts';
import { type Commit, type ConfigEvent, sequence } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';

const t0 = Date.parse('2026-11-28T10:00:00.000Z');

/** A log written as the service writes it: each command decided on its name's state. */
function ledger(...writes: Array<{ name: string; value?: unknown }>): Commit[] {
  const states = new Map<string, EntryState>();
  return writes.map((write, index) => {
    const state = states.get(write.name) ?? initialState(write.name);
    const decided =
      write.value === undefined
        ? decide({ kind: 'delete', name: write.name }, state)
        : decide({ kind: 'set', name: write.name, value: toJsonText(write.value as never) }, state);
    const commit = sequence([decided], {
      revision: index + 1,
      occurredAt: new Date(t0 + index).toISOString(),
      actor: 'alice',
      commitId: `c${index + 1}`,
    });
    for (const event of commit.events) states.set(event.name, stateAfter(event));
    return commit;
  });
}

function verify(commits: readonly Commit[]): { findings: Finding[]; unchained: number } {
  const verifier = new ChainVerifier();
  for (const commit of commits) verifier.addCommit(commit);
  return verifier.summary();
}

/** The commit at a revision with its one event replaced. */
function tampered(commits: Commit[], revision: number, change: Partial<ConfigEvent>): Commit[] {
  return commits.map((commit) =>
    commit.revision === revision
      ? {
          ...commit,
          events: commit.events.map((event) => ({ ...event, ...change }) as ConfigEvent),
        }
      : commit,
  );
}

const sample = () =>
  ledger(
    { name: 'a', value: 1 },
    { name: 'b', value: 'x' },
    { name: 'a', value: 2 },
    { name: 'a' },
  );

describe('Function: eventHash', () => {
  it('is the SHA-256 of the canonical JSON of the fields and the previous hash', () => {
    // Prepare
    const event = {
      name: 'a',
      version: 1,
      revision: 7,
      occurredAt: '2026-11-28T10:00:00.000Z',
      actor: 'alice',
      type: 'ConfigValueSet',
      value: toJsonText({ big: 12345678901234567890n } as never),
      previousHash: genesisHash,
    } as const;
    const text = `{"actor":"alice","name":"a","occurredAt":"2026-11-28T10:00:00.000Z","previousHash":"${genesisHash}","revision":7,"type":"ConfigValueSet","value":"{\\"big\\":12345678901234567890}","version":1}`;
    // Act
    const hash = eventHash(event);
    // Assess
    expect(hash).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('changes with any field, the value text included', () => {
    const base = sample()[0]?.events[0] as ConfigEvent & { previousHash: string };
    expect(eventHash({ ...base, actor: 'mallory' })).not.toBe(base.hash);
    expect(eventHash({ ...base, value: toJsonText(1.5) } as typeof base)).not.toBe(base.hash);
    expect(eventHash({ ...base, previousHash: 'f'.repeat(64) })).not.toBe(base.hash);
  });
});

describe('Function: sequence', () => {
  it('chains each event of a name to the one before it', () => {
    const [first, , third, fourth] = sample().map((commit) => commit.events[0]);
    expect(first?.previousHash).toBe(genesisHash);
    expect(third?.previousHash).toBe(first?.hash);
    expect(fourth?.previousHash).toBe(third?.hash);
  });
});

describe('Class: ChainVerifier', () => {
  it('finds nothing wrong in a log as written', () => {
    expect(verify(sample())).toMatchObject({ findings: [], unchained: 0 });
  });

  it('reports a value changed under its hash as altered', () => {
    const { findings } = verify(tampered(sample(), 3, { value: toJsonText(99) }));
    expect(findings).toMatchObject([{ kind: 'altered', name: 'a', version: 2, revision: 3 }]);
  });

  it('reports an event rewritten with a fresh hash as not chaining to the next one', () => {
    // Prepare: someone who knows the algorithm recomputes the hash of what they changed.
    const commits = sample();
    const original = commits[2]?.events[0] as ConfigEvent & { previousHash: string };
    const forged = { ...original, actor: 'mallory' };
    const rewritten = tampered(commits, 3, { actor: 'mallory', hash: eventHash(forged) });
    // Act
    const { findings } = verify(rewritten);
    // Assess: version 2 checks out on its own, but version 3 chained to the original.
    expect(findings).toMatchObject([{ kind: 'inserted', name: 'a', version: 3, revision: 4 }]);
  });

  it('reports a removed commit as a gap in the revisions and in the versions', () => {
    const commits = sample().filter((commit) => commit.revision !== 3);
    const { findings } = verify(commits);
    expect(findings).toMatchObject([
      { kind: 'removed', revision: 3 },
      { kind: 'removed', name: 'a', version: 3, revision: 4 },
    ]);
  });

  it('reports a repeated version as inserted', () => {
    const commits = sample();
    const copy = { ...(commits[0] as Commit), revision: 5 };
    const { findings } = verify([
      ...commits,
      { ...copy, events: [{ ...copy.events[0], revision: 5 } as ConfigEvent] },
    ]);
    expect(findings.map((finding) => finding.kind)).toContain('inserted');
    expect(findings[0]).toMatchObject({ name: 'a', version: 1, revision: 5 });
  });

  it('counts events written before the chain, and checks the chain that starts after them', () => {
    // Prepare: the first two events of 'a' predate the chain; the third starts it.
    const legacy = sample().map((commit) => ({
      ...commit,
      events: commit.events.map(({ hash: _h, previousHash: _p, ...event }) => event as ConfigEvent),
    }));
    const chained = ledger({ name: 'a', value: 3 })[0] as Commit;
    const next = sequence(
      [
        {
          type: 'ConfigValueSet',
          name: 'a',
          version: 4,
          value: toJsonText(3),
          previousHash: genesisHash,
        },
      ],
      { ...chained, revision: 5 },
    );
    // Act
    const summary = verify([...legacy, next]);
    // Assess
    expect(summary).toMatchObject({ findings: [], unchained: 4 });
  });

  it('reports a hash stripped from an event after its chain started', () => {
    const { findings } = verify(
      tampered(sample(), 3, { hash: undefined, previousHash: undefined }),
    );
    // Version 3 still chains to the hash version 2 had, which is gone.
    expect(findings).toMatchObject([
      { kind: 'altered', name: 'a', version: 2 },
      { kind: 'inserted', name: 'a', version: 3 },
    ]);
  });

  it('checks pinned hashes, and reports a pinned version that is gone', () => {
    // Prepare
    const commits = sample();
    const head = commits[3]?.events[0] as ConfigEvent;
    const verifier = new ChainVerifier({
      pins: [
        { name: 'a', version: 3, hash: head.hash as string },
        { name: 'b', version: 1, hash: 'f'.repeat(64) },
        { name: 'c', version: 1, hash: genesisHash },
      ],
    });
    // Act
    for (const commit of commits) verifier.addCommit(commit);
    const { findings } = verifier.summary();
    // Assess
    expect(findings).toMatchObject([
      { kind: 'altered', name: 'b', version: 1 },
      { kind: 'removed', name: 'c', version: 1 },
    ]);
  });

  it('continues from given heads, as a page of a longer log', () => {
    const commits = sample();
    const verifier = new ChainVerifier({
      after: 2,
      heads: [{ name: 'a', version: 1, revision: 1, hash: commits[0]?.events[0]?.hash as string }],
    });
    for (const commit of commits.slice(2)) verifier.addCommit(commit);
    expect(verifier.summary()).toMatchObject({ findings: [], commits: 2, revision: 4 });
  });
});
