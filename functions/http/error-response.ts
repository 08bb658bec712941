import { ConfigLedgerError, VersionConflictError } from '#domain/errors.ts';
import { logger } from '#shared/logger.ts';
import { MethodNotAllowedError, PreconditionFailedError } from './errors.ts';
import type { HttpResponse } from './responses.ts';

/** The one place where error codes become HTTP statuses. */
export const statusByCode: Readonly<Record<string, number>> = {
  validation_error: 400,
  invalid_json: 400,
  forbidden: 403,
  not_found: 404,
  revision_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  changeset_conflict: 409,
  idempotency_key_in_progress: 409,
  precondition_failed: 412,
  value_too_large: 413,
  payload_too_large: 413,
  document_too_large: 413,
  response_too_large: 413,
  commit_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  schema_violation: 422,
  invalid_schema: 422,
  schema_not_met: 409,
  write_contention: 503,
  not_caught_up: 503,
  storage_busy: 503,
  // The local stack's own disk (never on AWS): see infra/local/engine-storage.ts.
  storage_unavailable: 503,
  insufficient_storage: 507,
};

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
  readonly currentVersion?: number;
}

export function errorResponse(error: unknown, requestId: string): HttpResponse {
  if (error instanceof ConfigLedgerError && error.code in statusByCode) {
    return {
      statusCode: statusByCode[error.code] ?? 500,
      headers: headersFor(error),
      body: bodyFor(error),
    };
  }
  logger.error('Unhandled error', { requestId, error: error as Error });
  return {
    statusCode: 500,
    body: {
      error: 'internal_error',
      message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    } satisfies ErrorBody,
  };
}

function bodyFor(error: ConfigLedgerError): ErrorBody {
  const base = { error: error.code, message: error.message };
  const withDetails = error.details === undefined ? base : { ...base, details: error.details };
  if (error instanceof VersionConflictError || error instanceof PreconditionFailedError) {
    return { ...withDetails, currentVersion: error.currentVersion };
  }
  return withDetails;
}

/** The refusals that a retry after a second's pause may well get through. */
const retriedShortly = new Set(['write_contention', 'not_caught_up', 'storage_busy']);

function headersFor(error: ConfigLedgerError): Record<string, string> | undefined {
  if (error instanceof MethodNotAllowedError) return { allow: error.allowedMethods.join(', ') };
  if (retriedShortly.has(error.code)) {
    return { 'retry-after': '1' };
  }
  return undefined;
}
