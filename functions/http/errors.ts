import { ConfigLedgerError } from '#domain/errors.ts';

/** Failures that exist only at the HTTP edge; domain failures live in #domain/errors. */

export class RouteNotFoundError extends ConfigLedgerError {
  readonly code = 'route_not_found';
}

export class MethodNotAllowedError extends ConfigLedgerError {
  readonly code = 'method_not_allowed';

  constructor(
    method: string,
    readonly allowedMethods: readonly string[],
  ) {
    super(`${method} is not allowed here; use ${allowedMethods.join(' or ')}.`, {
      details: { allowedMethods },
    });
  }
}

export class UnsupportedMediaTypeError extends ConfigLedgerError {
  readonly code = 'unsupported_media_type';
}

export class PayloadTooLargeError extends ConfigLedgerError {
  readonly code = 'payload_too_large';
}

/** An answer larger than a Lambda response can carry. */
export class ResponseTooLargeError extends ConfigLedgerError {
  readonly code = 'response_too_large';
}

/** An If-Match or If-None-Match precondition that does not hold. */
export class PreconditionFailedError extends ConfigLedgerError {
  readonly code = 'precondition_failed';

  constructor(
    message: string,
    readonly currentVersion: number,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, details: { currentVersion } });
  }
}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends ConfigLedgerError {
  readonly code = 'idempotency_key_reused';
}

/** An Idempotency-Key whose first request is still being processed. */
export class IdempotencyKeyInProgressError extends ConfigLedgerError {
  readonly code = 'idempotency_key_in_progress';
}
