import type { EntryState } from '#domain/entry.ts';
import type { DecidedEvent } from '#domain/events.ts';
import { limits } from '#domain/limits.ts';
import {
  type EntryViolations,
  type SchemaViolation,
  SchemaViolationError,
} from '#domain/schema-errors.ts';
import { isSchemaEntryName, schemaEntryName, targetsCovering } from '#domain/schema-target.ts';
import { compileSchema, violationsOf } from '#domain/schema-validation.ts';

/**
 * Schema validation, with the JSON Schema compiler (Ajv, with RE2 for patterns: about 280 kB of
 * code) loaded the first time a schema is in force rather than with the module. Most writes meet
 * no schema, and a function that never meets one never pays for it at its cold start: a
 * function's bundle leaves the compiler to a file of its own, which this import loads
 * (infra/cdk/lazy-modules.ts; docs/performance.md, figure 9).
 */
export async function schemaValidation() {
  const { compileJsonSchema } = await import('#domain/json-schema-compiler.ts');
  return {
    compileSchema: (schemaText: string) => compileSchema(schemaText, compileJsonSchema),
    violationsOf,
  };
}

/**
 * How a value of a name breaks the schemas in force, read from the states of the schema entries
 * (every target covering the name: each prefix, then the name itself). Every schema applies.
 */
export async function violationsFor(
  name: string,
  valueText: string,
  states: ReadonlyMap<string, EntryState>,
): Promise<SchemaViolation[]> {
  const violations: SchemaViolation[] = [];
  for (const target of targetsCovering(name)) {
    const schema = states.get(schemaEntryName(target))?.current;
    if (!schema) continue;
    const { compileSchema, violationsOf } = await schemaValidation();
    const compiled = compileSchema(schema.value);
    violations.push(...violationsOf(compiled, valueText, `${target}@${schema.version}`));
  }
  return violations.slice(0, limits.violationsMax);
}

/** Entries' violations, at most limits.violationsMax entries. */
export async function entriesViolating(
  values: Iterable<{ name: string; value: string }>,
  states: ReadonlyMap<string, EntryState>,
): Promise<EntryViolations[]> {
  const found: EntryViolations[] = [];
  for (const { name, value } of values) {
    if (isSchemaEntryName(name)) continue;
    const violations = await violationsFor(name, value, states);
    if (violations.length > 0) found.push({ name, violations });
    if (found.length >= limits.violationsMax) break;
  }
  return found;
}

/**
 * Refuses decided events whose values break a schema in force at the state they were decided
 * on. Called on every decision, retries included, so a schema committed while a write raced is
 * applied to it.
 */
export async function assertConformsToSchemas(
  decided: readonly DecidedEvent[],
  states: ReadonlyMap<string, EntryState>,
): Promise<void> {
  const sets = decided.flatMap((event) => (event.type === 'ConfigValueSet' ? [event] : []));
  const violating = await entriesViolating(sets, states);
  if (violating.length > 0) throw new SchemaViolationError(violating);
}
