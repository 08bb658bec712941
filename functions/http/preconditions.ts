import { ValidationError, VersionConflictError } from '#domain/errors.ts';
import { PreconditionFailedError } from './errors.ts';

/** Where a caller's expected version came from: the body answers 409, a header 412. */
export interface Expectation {
  readonly expectedVersion?: number;
  readonly fromHeader: boolean;
}

/**
 * Reads the expected version from the body, `If-Match: "<version>"` or `If-None-Match: *`
 * (create only). Two sources that disagree are a client bug, not something to guess about.
 */
function readExpectation(
  headers: Readonly<Record<string, string>>,
  bodyVersion: number | undefined,
): Expectation {
  const headerVersion = headerExpectation(headers);
  if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
    throw new ValidationError(
      `The If-Match/If-None-Match header expects version ${headerVersion} but expectedVersion says ${bodyVersion}.`,
    );
  }
  if (headerVersion !== undefined) return { expectedVersion: headerVersion, fromHeader: true };
  return { expectedVersion: bodyVersion, fromHeader: false };
}

function headerExpectation(headers: Readonly<Record<string, string>>): number | undefined {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new ValidationError('Send If-Match or If-None-Match, not both.');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new ValidationError('If-None-Match only supports "*" (create only).');
    }
    return 0;
  }
  if (ifMatch === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(ifMatch);
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be one quoted version, as in the ETag: "3".');
  }
  return Number(match[1]);
}

/** A version conflict on a header precondition is answered as HTTP says: 412. */
function asPreconditionFailure(error: unknown, expectation: Expectation): unknown {
  if (expectation.fromHeader && error instanceof VersionConflictError) {
    return new PreconditionFailedError(error.message, error.currentVersion, { cause: error });
  }
  return error;
}

/**
 * Runs a write with the caller's expected version (from the body or a header) and answers a
 * conflict the way its source asks: 409 for the body, 412 for a header.
 */
export async function withExpectedVersion<T>(
  headers: Readonly<Record<string, string>>,
  bodyVersion: number | undefined,
  write: (expectedVersion: number | undefined) => Promise<T>,
): Promise<T> {
  const expectation = readExpectation(headers, bodyVersion);
  return write(expectation.expectedVersion).catch((error: unknown) => {
    throw asPreconditionFailure(error, expectation);
  });
}
