import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { ConfigEvent } from './events.ts';

/**
 * The previous hash of a name's first chained event: 64 zeros, a value no SHA-256 of ours takes.
 * A name's chain starts here at version 1, or at its first hashed event when older events were
 * written before events were chained (they stay unchained; see docs/verify.md).
 */
export const genesisHash = '0'.repeat(64);

/** An event about to be hashed, or whose hash is checked: it knows the hash it follows. */
export type ChainedEvent = ConfigEvent & { readonly previousHash: string };

/**
 * SHA-256, in lowercase hex, of the canonical JSON of the event's fields and the hash of the
 * name's previous event. The value is hashed as the JSON text stored, a string: how a reader
 * would parse it (big numbers, key order, duplicate keys) never changes a hash. The commit id is
 * left out: it only tells a writer's own retries apart, and says nothing about the change.
 */
export function eventHash(event: ChainedEvent): string {
  const fields = {
    name: event.name,
    version: event.version,
    revision: event.revision,
    occurredAt: event.occurredAt,
    actor: event.actor,
    type: event.type,
    value: event.type === 'ConfigValueSet' ? event.value : undefined,
    comment: event.comment,
    restoredVersion: event.restoredVersion,
    previousHash: event.previousHash,
  };
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

/** Whether a text has the shape of a hash (or of the genesis value). */
export function isHash(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}
