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

/** A write kept losing the race for the next revision for longer than its retry budget. Safe to retry. */
export class WriteContentionError extends ConfigLedgerError {
  readonly code = 'write_contention';

  constructor(attempts: number) {
    super(
      `Many clients are writing at once; gave up after ${attempts} attempts to commit. Retry shortly.`,
    );
  }
}

/**
 * The database refused the request for load, past its client's own retries: more traffic than
 * it takes at this moment. Nothing is wrong with the request. Safe to retry after a pause.
 */
export class StorageBusyError extends ConfigLedgerError {
  readonly code = 'storage_busy';
}

/** Text that is not JSON, or JSON nested deeper than limits.valueMaxDepth. */
export class InvalidJsonError extends ConfigLedgerError {
  readonly code = 'invalid_json';
}

/** An export or import document beyond limits.documentMaxBytes or limits.importMaxEntries. */
export class DocumentTooLargeError extends ConfigLedgerError {
  readonly code = 'document_too_large';
}

/**
 * A point in the order the read model has not caught up with yet, after waiting a little.
 * Nothing is wrong: the same request succeeds shortly. Safe to retry.
 */
export class NotCaughtUpError extends ConfigLedgerError {
  readonly code = 'not_caught_up';

  constructor(
    readonly revision: number,
    readonly projectedRevision: number,
  ) {
    super(
      `Revision ${revision} is committed but the read model has reached revision ${projectedRevision} so far. Retry in a moment.`,
      { details: { revision, projectedRevision } },
    );
  }
}

/** A revision beyond the newest one: it has not happened (yet). */
export class RevisionNotFoundError extends ConfigLedgerError {
  readonly code = 'revision_not_found';

  constructor(
    readonly revision: number,
    readonly newestRevision: number,
  ) {
    super(`There is no revision ${revision} yet: the newest is ${newestRevision}.`, {
      details: { revision, newestRevision },
    });
  }
}

/** What one operation of a changeset met instead of the state it expected. */
export interface OperationFailure {
  /** Its place in the changeset, from 0. */
  readonly index: number;
  readonly name: string;
  /** The code the same operation alone would have failed with: version_conflict or not_found. */
  readonly error: string;
  readonly message: string;
  readonly currentVersion: number;
}

/**
 * A changeset some of whose operations do not hold on the current state: none was applied.
 * Lists every failing operation, so that one round of fixes is enough.
 */
export class ChangesetConflictError extends ConfigLedgerError {
  readonly code = 'changeset_conflict';

  constructor(readonly failures: readonly OperationFailure[]) {
    super(
      `${failures.length} of the changeset's operations do not hold, so none was applied: ${failures
        .map((failure) => `#${failure.index} ${failure.message}`)
        .join(' ')}`,
      { details: { failures } },
    );
  }
}

/** Changes that would not fit in one commit, the unit that is written all at once. */
export class CommitTooLargeError extends ConfigLedgerError {
  readonly code = 'commit_too_large';
}

/**
 * A caller whose access (its prefixes) does not cover what it asked for. Says only what the
 * caller may do and which of its own names are outside: never whether an entry exists.
 */
export class AccessDeniedError extends ConfigLedgerError {
  readonly code = 'forbidden';
}
