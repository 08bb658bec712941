/**
 * The errors of the config-ledger client: one base class, one class per kind of failure a caller
 * acts on differently. An API error keeps the API's own `code` (see `apiErrorCodes`), its status
 * and its body as received, so nothing the service said is lost.
 */

/** Every code the API answers with (functions/http/error-response.ts; a test keeps them equal). */
export const apiErrorCodes = [
  'validation_error',
  'invalid_schema',
  'schema_violation',
  'invalid_json',
  'forbidden',
  'not_found',
  'revision_not_found',
  'route_not_found',
  'method_not_allowed',
  'version_conflict',
  'changeset_conflict',
  'schema_not_met',
  'idempotency_key_in_progress',
  'precondition_failed',
  'value_too_large',
  'payload_too_large',
  'document_too_large',
  'response_too_large',
  'commit_too_large',
  'unsupported_media_type',
  'idempotency_key_reused',
  'write_contention',
  'not_caught_up',
  'storage_busy',
  'storage_unavailable',
  'insufficient_storage',
  'internal_error',
] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** Any failure of the client. */
export abstract class ConfigLedgerClientError extends Error {
  abstract readonly code: string;
}

/**
 * The API answered with an error status. `code` is the API's (an `ApiErrorCode`), or
 * `http_<status>` when something else answered (a gateway, a proxy). `body` is the text received.
 */
export class ApiError extends ConfigLedgerClientError {
  override readonly name: string = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | `http_${number}` | (string & {}),
    message: string,
    readonly body: string,
    /** How long the API asked to wait before trying again (Retry-After), if it did. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404: no such entry at that point, or a revision not made yet (`revision_not_found`). */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
}

/**
 * 409 or 412: an expected version (`version_conflict`, `precondition_failed`) did not hold, or a
 * retry met its first attempt still running (`idempotency_key_in_progress`).
 */
export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';

  /** The entry's version now, when the API said (version and precondition conflicts). */
  get currentVersion(): number | undefined {
    const version = (parsedBody(this.body) as { currentVersion?: unknown } | undefined)
      ?.currentVersion;
    return typeof version === 'number' ? version : undefined;
  }
}

/** 429 or 5xx: busy or down for a while; the client has already retried as far as it may. */
export class UnavailableError extends ApiError {
  override readonly name = 'UnavailableError';
}

/** No answer at all: connection refused, DNS failure, timeout, TLS error. */
export class NetworkError extends ConfigLedgerClientError {
  override readonly name = 'NetworkError';
  readonly code = 'network_error';
}

/** A 2xx answer the client does not understand (a proxy, a wrong URL). */
export class UnexpectedResponseError extends ConfigLedgerClientError {
  override readonly name = 'UnexpectedResponseError';
  readonly code = 'unexpected_response';
}

/** The error for an error answer: its class by status, its code and message from the body. */
export function apiErrorFor(status: number, text: string, retryAfterMs?: number): ApiError {
  const body = parsedBody(text) as { error?: unknown; message?: unknown } | undefined;
  const fromApi = typeof body?.error === 'string' && typeof body.message === 'string';
  const excerpt = text.trim().slice(0, 200);
  const code = fromApi ? String(body?.error) : `http_${status}`;
  const message = fromApi
    ? String(body?.message)
    : `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
  const ErrorClass = errorClassFor(status);
  return new ErrorClass(status, code, message, text, retryAfterMs);
}

function errorClassFor(status: number): typeof ApiError {
  if (status === 404) return NotFoundError;
  if (status === 409 || status === 412) return ConflictError;
  if (status === 429 || status >= 500) return UnavailableError;
  return ApiError;
}

function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
