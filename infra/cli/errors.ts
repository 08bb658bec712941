import {
  ApiError,
  type ConfigLedgerClientError,
  NetworkError,
  UnexpectedResponseError,
} from '#client/errors.ts';

// The client library's errors, as the CLI's commands meet them.
export { ApiError, NetworkError, UnexpectedResponseError };

/**
 * Exit codes of the CLI, one per kind of failure, so scripts can tell them apart. The rule: the
 * code says what went wrong, never who noticed it. An input the CLI refuses before sending
 * anything and one the API refuses exit the same (1), so a bad timestamp and a bad version are
 * both 1; 5 and 6 are the failures that trying again later can mend.
 */
export const exitCodes = {
  ok: 0,
  invalid: 1,
  notFound: 2,
  conflict: 3,
  refused: 4,
  network: 5,
  unavailable: 6,
  tampered: 7,
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The table of exit codes, as the help and docs/cli.md show it (a test keeps them the same). */
export const exitCodeTable: readonly { readonly code: ExitCode; readonly meaning: string }[] = [
  { code: exitCodes.ok, meaning: 'success' },
  {
    code: exitCodes.invalid,
    meaning:
      'invalid command line or input, refused by the CLI before any request or by the API (HTTP 400, 413, 415, 422): the same command fails the same way again',
  },
  {
    code: exitCodes.notFound,
    meaning:
      'not found: the entry is absent or deleted, did not exist at that instant, or the revision is not reached (HTTP 404)',
  },
  {
    code: exitCodes.conflict,
    meaning:
      'conflict: --expected-version did not hold, or an import met entries changed meanwhile (HTTP 409, 412)',
  },
  {
    code: exitCodes.refused,
    meaning:
      'any other error the API answered (HTTP 401, 403, 500…), a URL that is not the API, or an answer the CLI does not understand',
  },
  {
    code: exitCodes.network,
    meaning: 'network: the API could not be reached or did not answer in time',
  },
  {
    code: exitCodes.unavailable,
    meaning:
      'unavailable: the API is busy or down (HTTP 429, 502, 503, 504), after the retries it asked for with Retry-After; try again later',
  },
  {
    code: exitCodes.tampered,
    meaning:
      'verify found events altered, removed or inserted, or a pinned head hash not met (docs/verify.md)',
  },
  { code: exitCodes.interrupted, meaning: 'interrupted by Ctrl-C (watch prints where to resume)' },
];

/** A failure the CLI reports in one line, with its own exit code. */
export abstract class CliError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
}

/** The command line itself is wrong: unknown command or option, missing argument, bad value. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly code = 'usage_error';
  readonly exitCode = exitCodes.invalid;
}

/** An import applied, except for entries that changed meanwhile and were not overwritten. */
export class PartialImportError extends CliError {
  override readonly name = 'PartialImportError';
  readonly code = 'import_conflict';
  readonly exitCode = exitCodes.conflict;
}

/** verify recomputed the chains and found them broken: the history is not what was written. */
export class TamperingFoundError extends CliError {
  override readonly name = 'TamperingFoundError';
  readonly code = 'tampering_found';
  readonly exitCode = exitCodes.tampered;
}

/** What the request asked for is not there: the API's own 404s, not a wrong URL's. */
const notFoundCodes = new Set(['not_found', 'revision_not_found']);
/** The request itself is invalid: sending it again unchanged fails the same way. */
const invalidStatuses = new Set([400, 413, 415, 422]);
/** The service is busy or down for a while. */
const unavailableStatuses = new Set([429, 502, 503, 504]);

export function exitCodeForStatus(status: number, code: string): ExitCode {
  if (status === 404) return notFoundCodes.has(code) ? exitCodes.notFound : exitCodes.refused;
  if (status === 409 || status === 412) return exitCodes.conflict;
  if (invalidStatuses.has(status)) return exitCodes.invalid;
  if (unavailableStatuses.has(status)) return exitCodes.unavailable;
  return exitCodes.refused;
}

/** The exit code for any failure the CLI reports: its own, or the client library's. */
export function exitCodeOf(error: CliError | ConfigLedgerClientError): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ApiError) return exitCodeForStatus(error.status, error.code);
  if (error instanceof NetworkError) return exitCodes.network;
  return exitCodes.refused;
}
