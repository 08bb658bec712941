import * as z from 'zod/mini';
import { declared } from '#shared/declared.ts';
import { type ChainedEvent, eventHash } from './chain.ts';
import type { Instant } from './instant.ts';
import { type JsonText, trustedJsonText } from './json.ts';
import { limits } from './limits.ts';

/** A position in the one total order of changes across all names: 1, 2, 3, … without gaps. */
export type Revision = number;

interface EventBase {
  readonly name: string;
  /** 1, 2, 3, … without gaps, per name. */
  readonly version: number;
  /** The commit that carried the change; every event of one commit shares it. */
  readonly revision: Revision;
  readonly occurredAt: Instant;
  readonly actor: string;
  readonly comment?: string;
  /** Set when the event restores the state of an earlier version (a revert). */
  readonly restoredVersion?: number;
  /**
   * The hash of the name's previous event (genesisHash for its first chained one), and this
   * event's own hash over its fields and that one (chain.ts). Absent on events written before
   * events were chained.
   */
  readonly previousHash?: string;
  readonly hash?: string;
}

export interface ConfigValueSet extends EventBase {
  readonly type: 'ConfigValueSet';
  readonly value: JsonText;
}

export interface ConfigValueDeleted extends EventBase {
  readonly type: 'ConfigValueDeleted';
}

export type ConfigEvent = ConfigValueSet | ConfigValueDeleted;
export type ConfigEventType = ConfigEvent['type'];

/**
 * What a command decides: an event that has no place in the order yet, so no hash of its own; it
 * knows which hash it follows, as it is decided on its name's state.
 */
export type DecidedEvent = ConfigEvent extends infer Event
  ? Event extends ConfigEvent
    ? Omit<Event, 'revision' | 'occurredAt' | 'actor' | 'hash' | 'previousHash'> & {
        readonly previousHash: string;
      }
    : never
  : never;

/**
 * One entry of the log: the changes one request made, all at one revision. Readers see a
 * commit's events together or not at all.
 */
export interface Commit {
  readonly revision: Revision;
  readonly occurredAt: Instant;
  readonly actor: string;
  /** Chosen by the writer: tells its own commit from another's after an ambiguous failure. */
  readonly commitId: string;
  readonly events: readonly ConfigEvent[];
}

/**
 * Places decided events in the order: every event of the commit gets its revision and instant,
 * and with them its hash, which covers both. A writer that loses the race for a revision decides
 * and sequences again, so each attempt hashes what it would commit.
 */
export function sequence(
  decided: readonly DecidedEvent[],
  at: { revision: Revision; occurredAt: Instant; actor: string; commitId: string },
): Commit {
  const { revision, occurredAt, actor, commitId } = at;
  return {
    revision,
    occurredAt,
    actor,
    commitId,
    events: decided.map((event) => {
      const placed = { ...event, revision, occurredAt, actor } as ChainedEvent;
      return { ...placed, hash: eventHash(placed) };
    }),
  };
}

const instantSchema = /* @__PURE__ */ declared(() =>
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)),
);
const positiveInteger = () => z.number().check(z.int(), z.positive());
const nonEmptyText = () => z.string().check(z.minLength(1));

const changeBaseSchema = /* @__PURE__ */ declared(() =>
  z.object({
    name: z.string().check(z.minLength(1), z.maxLength(limits.nameMaxLength)),
    version: positiveInteger(),
    comment: z.optional(z.string()),
    restoredVersion: z.optional(positiveInteger()),
    // Read as stored, whatever it holds: a hash that is not one is for verify to report, and
    // refusing the item here would hide the rest of the log from it.
    previousHash: z.optional(z.string()),
    hash: z.optional(z.string()),
  }),
);

const storedValue = () => z.pipe(z.string(), z.transform(trustedJsonText));

/** One change as stored inside a commit; the commit carries revision, instant and actor. */
export const storedChangeSchema = /* @__PURE__ */ declared(() =>
  z.discriminatedUnion('type', [
    z.extend(changeBaseSchema, { type: z.literal('ConfigValueSet'), value: storedValue() }),
    z.extend(changeBaseSchema, { type: z.literal('ConfigValueDeleted') }),
  ]),
);

/** Shape of a commit read back from storage or a stream: anything else is corrupt. */
export const storedCommitSchema = /* @__PURE__ */ declared(() =>
  z.object({
    revision: positiveInteger(),
    occurredAt: instantSchema,
    actor: nonEmptyText(),
    commitId: nonEmptyText(),
    changes: z.array(storedChangeSchema).check(z.minLength(1)),
  }),
);

/** Shape of one event read back from the history table. */
export const storedEventSchema = /* @__PURE__ */ declared(() => {
  const placed = { revision: positiveInteger(), occurredAt: instantSchema, actor: nonEmptyText() };
  return z.discriminatedUnion('type', [
    z.extend(changeBaseSchema, {
      type: z.literal('ConfigValueSet'),
      value: storedValue(),
      ...placed,
    }),
    z.extend(changeBaseSchema, { type: z.literal('ConfigValueDeleted'), ...placed }),
  ]);
});
