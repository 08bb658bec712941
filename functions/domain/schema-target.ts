import type * as z from 'zod/mini';
import { configNameSchema } from './config-name.ts';

/**
 * Where a schema is attached: a name (`payments.checkout.timeout_ms`), or a prefix ending in `.`
 * or `:` (`payments.`), which covers every name that begins with it. The grammar is the names'
 * own, so any prefix a name can have can carry a schema.
 */
export const schemaTargetSchema = configNameSchema;

/**
 * Schemas live in the ledger as entries of reserved names, so that they take their place in the
 * one order of changes: a write decided at revision H has seen every schema committed up to H,
 * and committing it at H + 1 fails if a schema (or anything else) was committed in between.
 * Versions, history and time travel are the entries' own. `~` is outside the name grammar, so no
 * entry can take one of these names, and it sorts after every name a client can write.
 */
const schemaEntryPrefix = '~schema/';

export function schemaEntryName(target: string): string {
  return `${schemaEntryPrefix}${target}`;
}

export function isSchemaEntryName(name: string): boolean {
  return name.startsWith(schemaEntryPrefix);
}

/** The target a schema entry's name stands for. */
export function targetOfSchemaEntry(name: string): string {
  return name.slice(schemaEntryPrefix.length);
}

export function isPrefixTarget(target: string): boolean {
  return target.endsWith('.') || target.endsWith(':');
}

/** True when a schema attached to `target` applies to the entry `name`. */
export function targetCovers(target: string, name: string): boolean {
  return target === name || (isPrefixTarget(target) && name.startsWith(target));
}

/**
 * Every target whose schema would apply to a name: each of its prefixes that ends in `.` or `:`,
 * from the shortest, then the name itself.
 */
export function targetsCovering(name: string): string[] {
  const targets: string[] = [];
  for (let end = 0; end < name.length - 1; end++) {
    if (name[end] === '.' || name[end] === ':') targets.push(name.slice(0, end + 1));
  }
  targets.push(name);
  return targets;
}

/** The schema entries a write of these names must read to be checked. */
export function schemaEntriesCovering(names: readonly string[]): string[] {
  const entries = new Set<string>();
  for (const name of names) {
    if (isSchemaEntryName(name)) continue;
    for (const target of targetsCovering(name)) entries.add(schemaEntryName(target));
  }
  return [...entries];
}

export type SchemaTarget = z.infer<typeof schemaTargetSchema>;
