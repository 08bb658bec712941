import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { StorageBusyError, ValidationError } from '#domain/errors.ts';
import { RawJson, serializeJson, trustedJsonText } from '#domain/json.ts';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './errors.ts';
import type { RequestHandler } from './http-handler.ts';
import type { HttpRequest } from './request.ts';
import type { HttpResponse } from './responses.ts';

type WriteHandler = RequestHandler;

/** What is kept of a response, to answer a retried request with it. */
interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly replayed?: boolean;
}

interface IdempotentCall {
  /** Whose retry of what: the key is scoped to the caller, the method and the path. */
  readonly scope: string;
  /** What must be the same for a retry: the body and the preconditions. */
  readonly fingerprint: { body: string; ifMatch: string; ifNoneMatch: string };
  readonly request: HttpRequest;
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;
const retention = 24 * 60 * 60;

/**
 * Makes a write handler honour the Idempotency-Key header with Powertools' idempotency utility:
 * a retried request (same key, same request) gets the original response and changes nothing;
 * the same key on a different request is refused (422). Without the header, nothing changes.
 * Only successful responses are kept: a request that failed may be retried for real.
 *
 * A key is held "in progress" only until the invocation's deadline (its context's remaining
 * time): if the function dies or times out mid-request, the same key is accepted again once
 * that deadline has passed, instead of answering 409 for a day.
 */
export function withIdempotency(
  persistenceStore: BasePersistenceLayer,
  handle: WriteHandler,
): RequestHandler {
  return async (request, context) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return handle(request, context);
    if (!keyPattern.test(key)) {
      throw new ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters.');
    }
    const call: IdempotentCall = {
      scope: `${request.actor} ${request.method} ${request.path} ${key}`,
      fingerprint: {
        body: request.body ?? '',
        ifMatch: request.headers['if-match'] ?? '',
        ifNoneMatch: request.headers['if-none-match'] ?? '',
      },
      request,
    };
    // A configuration per call: each request's in-progress expiry comes from its own context,
    // never from another request's that the same process serves at the same time.
    const run = async (idempotentCall: IdempotentCall): Promise<StoredResponse> =>
      toStored(await handle(idempotentCall.request, context));
    const idempotent = makeIdempotent(run, { persistenceStore, config: configFor(context) });
    return fromStored(await idempotent(call).catch(translate));
  };
}

function configFor(lambdaContext: Context): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds: retention,
    responseHook: (response) => ({ ...(response as object), replayed: true }),
    lambdaContext,
  });
}

function toStored(response: HttpResponse): StoredResponse {
  return {
    statusCode: response.statusCode,
    headers: { ...response.headers },
    body: serializeJson(response.body ?? null),
  };
}

function fromStored(stored: StoredResponse): HttpResponse {
  return {
    statusCode: stored.statusCode,
    headers: stored.replayed
      ? { ...stored.headers, 'idempotency-replayed': 'true' }
      : stored.headers,
    body: new RawJson(trustedJsonText(stored.body)),
  };
}

function translate(error: unknown): never {
  if (error instanceof IdempotencyValidationError) {
    throw new IdempotencyKeyReusedError(
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      { cause: error },
    );
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    throw new IdempotencyKeyInProgressError(
      'A request with this Idempotency-Key is still being processed. Retry shortly.',
      { cause: error },
    );
  }
  // Powertools wraps what its table answered; throttled, that is a 503 like any table's.
  if (
    error instanceof IdempotencyPersistenceLayerError &&
    error.cause instanceof StorageBusyError
  ) {
    throw error.cause;
  }
  throw error;
}
