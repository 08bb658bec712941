/**
 * The domain's failures. Each has a stable `code` that clients can rely on; the HTTP layer maps
 * codes to statuses in one place (functions/http/error-response.ts).
 */
export abstract class ConfigLedgerError extends Error {
  abstract readonly code: string;
  readonly details?: unknown;

  constructor(message: string, options?: ErrorOptions & { details?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = options?.details;
  }
}

/** Input that breaks a rule of the contract: bad name, bad value, bad parameter. */
export class ValidationError extends ConfigLedgerError {
  readonly code = 'validation_error';
}

/** A value whose serialized size exceeds limits.valueMaxBytes. */
export class ValueTooLargeError extends ConfigLedgerError {
  readonly code = 'value_too_large';
}

/** The entry never existed, or is deleted (at the instant asked for). */
export class EntryNotFoundError extends ConfigLedgerError {
  readonly code = 'not_found';

  constructor(
    readonly entryName: string,
    message = `No configuration entry named '${entryName}'.`,
  ) {
    super(message);
  }
}

/** The caller expected a version that is no longer (or not yet) the current one. */
export class VersionConflictError extends ConfigLedgerError {
  readonly code = 'version_conflict';

  constructor(
    readonly entryName: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `'${entryName}' is at version ${currentVersion}, not the expected version ${expectedVersion}.`,
      { details: { expectedVersion, currentVersion } },
    );
  }
}

/** A blind write kept losing races for longer than its retry budget. Safe to retry. */
export class WriteContentionError extends ConfigLedgerError {
  readonly code = 'write_contention';

  constructor(
    readonly entryName: string,
    attempts: number,
  ) {
    super(
      `'${entryName}' is being written by many clients at once; gave up after ${attempts} attempts. Retry shortly.`,
    );
  }
}

/** Text that is not JSON, or JSON nested deeper than limits.valueMaxDepth. */
export class InvalidJsonError extends ConfigLedgerError {
  readonly code = 'invalid_json';
}

/** An export or import document beyond limits.documentMaxBytes or limits.importMaxEntries. */
export class DocumentTooLargeError extends ConfigLedgerError {
  readonly code = 'document_too_large';
}
