/** Exit codes of the CLI, one per kind of failure, so scripts can tell them apart. */
export const exitCodes = {
  ok: 0,
  usage: 1,
  notFound: 2,
  conflict: 3,
  api: 4,
  network: 5,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure the CLI reports in one line, with its own exit code. */
export abstract class CliError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
}

/** The command line itself is wrong: unknown command or option, missing argument, bad value. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly code = 'usage_error';
  readonly exitCode = exitCodes.usage;
}

/** The API answered with an error status. `body` is the response text, as received. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  readonly exitCode: ExitCode;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: string,
  ) {
    super(message);
    this.exitCode = exitCodeFor(status, code);
  }
}

/** The API answered 2xx with a body the CLI does not understand (a proxy, a wrong URL). */
export class UnexpectedResponseError extends CliError {
  override readonly name = 'UnexpectedResponseError';
  readonly code = 'unexpected_response';
  readonly exitCode = exitCodes.api;
}

/** An import applied, except for entries that changed meanwhile and were not overwritten. */
export class PartialImportError extends CliError {
  override readonly name = 'PartialImportError';
  readonly code = 'import_conflict';
  readonly exitCode = exitCodes.conflict;
}

/** No answer at all: connection refused, DNS failure, timeout, TLS error. */
export class NetworkError extends CliError {
  override readonly name = 'NetworkError';
  readonly code = 'network_error';
  readonly exitCode = exitCodes.network;
}

function exitCodeFor(status: number, code: string): ExitCode {
  if (status === 404 && code === 'not_found') return exitCodes.notFound;
  if (status === 409 || status === 412) return exitCodes.conflict;
  return exitCodes.api;
}
