import * as z from 'zod';

/**
 * What the push carries, shared by the publisher and the client: the channel a change is
 * published on, the channel a reader subscribes to, and the event itself.
 *
 * Channels (AppSync Events allows segments of A-Z a-z 0-9 and `-`, at most 50 characters,
 * and a namespace plus at most 4 segments): a name's dotted segments become channel segments,
 * escaped so that the mapping is one to one (`-` → `--`, `_` → `-u`, `:` → `-c`), at most 4.
 *
 *   payments.checkout.timeout_ms → /changes/payments/checkout/timeout-ums
 *   a.b.c.d.e                    → /changes/a/b/c/d
 *
 * A segment that cannot be a channel segment (empty, or longer than 50 once escaped) ends the
 * channel there, with the leaf `-` so that the wildcard above it still matches. A reader with a
 * prefix subscribes to the prefix's whole segments (at most 3, the wildcard being the 5th):
 * `payments.` and `payments.check` → `/changes/payments/*`, `pay` → `/changes/*`. The channel is a coarse
 * filter: the reader still keeps only the names under its prefix.
 */

export const defaultPushNamespace = 'changes';

const maxChannelSegments = 4;
const maxSegmentLength = 50;
/** Ends a channel cut short by a segment that cannot be a channel segment. */
const cutLeaf = '-';

/** The channel a change of `name` is published on. */
export function channelOfName(name: string, namespace = defaultPushNamespace): string {
  const segments: string[] = [];
  for (const part of name.split('.').slice(0, maxChannelSegments)) {
    const segment = channelSegment(part);
    if (segment === undefined) {
      segments.push(cutLeaf);
      break;
    }
    segments.push(segment);
  }
  return `/${[namespace, ...segments].join('/')}`;
}

/** The channel a reader of every name under `prefix` subscribes to (a wildcard). */
export function channelOfPrefix(prefix = '', namespace = defaultPushNamespace): string {
  const whole = prefix.split('.').slice(0, -1);
  const segments: string[] = [];
  for (const part of whole.slice(0, maxChannelSegments - 1)) {
    const segment = channelSegment(part);
    if (segment === undefined) break;
    segments.push(segment);
  }
  return `/${[namespace, ...segments, '*'].join('/')}`;
}

function channelSegment(part: string): string | undefined {
  const escaped = part.replace(/[-_:]/g, (character) => escapes[character] ?? character);
  if (escaped.length === 0 || escaped.length > maxSegmentLength) return undefined;
  return escaped;
}

const escapes: Readonly<Record<string, string>> = { '-': '--', _: '-u', ':': '-c' };

/** The largest value, as JSON text in UTF-8 bytes, that travels inside the push. */
export const pushedValueMaxBytes = 1024;

/**
 * One change as pushed: the feed's change, less a value over `pushedValueMaxBytes`
 * (`valueOmitted`, read from the feed instead), plus how many changes its commit made
 * (`commitSize`): a reader applies a push alone only when it is the whole commit. Built in a
 * call marked pure, so that a bundle that reads only the channels (the publishing function)
 * leaves it, and classic zod with it, out.
 */
export const pushedChangeSchema = /* @__PURE__ */ (() =>
  z.object({
    revision: z.number().int().positive(),
    name: z.string(),
    version: z.number().int().positive(),
    type: z.enum(['ConfigValueSet', 'ConfigValueDeleted']),
    value: z.unknown().optional(),
    valueOmitted: z.literal(true).optional(),
    commitSize: z.number().int().positive(),
    occurredAt: z.string(),
    actor: z.string(),
    comment: z.string().optional(),
    restoredVersion: z.number().int().positive().optional(),
  }))();
export type PushedChange = z.output<typeof pushedChangeSchema>;
