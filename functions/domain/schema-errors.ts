import { ConfigLedgerError } from './errors.ts';

/** One way a value breaks a schema, in words, at a JSON Pointer into the value. */
export interface SchemaViolation {
  /** JSON Pointer into the value (`""` for the value itself, `/retries/max` inside it). */
  readonly path: string;
  readonly message: string;
  /** The schema broken, as `<target>@<version>`. */
  readonly schema: string;
}

/** The violations of one entry's value. */
export interface EntryViolations {
  readonly name: string;
  readonly violations: readonly SchemaViolation[];
}

/** A write whose value breaks a schema attached to its name or to one of its prefixes. */
export class SchemaViolationError extends ConfigLedgerError {
  readonly code = 'schema_violation';

  constructor(readonly entries: readonly EntryViolations[]) {
    const count = entries.reduce((sum, entry) => sum + entry.violations.length, 0);
    const first = entries[0]?.violations[0];
    const where = entries.map((entry) => `'${entry.name}'`).join(', ');
    super(
      `The value of ${where} breaks its schema (${count} violation${count === 1 ? '' : 's'}${
        first ? `; first: ${first.path || '/'} ${first.message}` : ''
      }). Nothing was written.`,
      {
        details:
          entries.length === 1 && entries[0]
            ? { name: entries[0].name, violations: entries[0].violations }
            : { entries },
      },
    );
  }
}

/** A schema that cannot be used: not JSON Schema 2020-12, too large, or unsafe to run. */
export class InvalidSchemaError extends ConfigLedgerError {
  readonly code = 'invalid_schema';
}

/**
 * A schema that existing entries break, attached without `force`: nothing was attached. Lists the
 * entries, as a dry run does.
 */
export class SchemaNotMetError extends ConfigLedgerError {
  readonly code = 'schema_not_met';

  constructor(
    readonly target: string,
    readonly entries: readonly EntryViolations[],
    readonly checked: number,
  ) {
    super(
      `${entries.length} of the ${checked} existing entries under '${target}' break this schema, so it was not attached. Fix them, or attach with force=true.`,
      { details: { target, checked, entries } },
    );
  }
}
