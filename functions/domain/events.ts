import * as z from 'zod';
import type { Instant } from './instant.ts';
import { type JsonText, trustedJsonText } from './json.ts';
import { limits } from './limits.ts';

interface EventBase {
  readonly name: string;
  /** 1, 2, 3, … without gaps, per name. */
  readonly version: number;
  readonly occurredAt: Instant;
  readonly actor: string;
  readonly comment?: string;
  /** Set when the event restores the state of an earlier version (a revert). */
  readonly restoredVersion?: number;
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

const instantSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const eventBaseSchema = z.object({
  // Stored names are not re-validated against the public name rule: the heartbeat is an event too.
  name: z.string().min(1).max(limits.nameMaxLength),
  version: z.number().int().positive(),
  occurredAt: instantSchema,
  actor: z.string().min(1),
  comment: z.string().optional(),
  restoredVersion: z.number().int().positive().optional(),
});

/** Shape of an event read back from storage or a stream: anything else is corrupt. */
export const configEventSchema = z.discriminatedUnion('type', [
  eventBaseSchema.extend({
    type: z.literal('ConfigValueSet'),
    value: z.string().transform(trustedJsonText),
  }),
  eventBaseSchema.extend({ type: z.literal('ConfigValueDeleted') }),
]);
