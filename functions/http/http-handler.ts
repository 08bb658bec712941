import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { serializeJson } from '#domain/json.ts';
import { responseBodyBudgetBytes } from '#shared/aws-limits.ts';
import { logger } from '#shared/logger.ts';
import { traced, tracer } from '#shared/tracer.ts';
import { answerConditionally } from './conditional-read.ts';
import { errorResponse } from './error-response.ts';
import { ResponseTooLargeError } from './errors.ts';
import { type HttpRequest, toHttpRequest } from './request.ts';
import type { HttpResponse } from './responses.ts';
import { guardRoute } from './route-access.ts';

/** Lambda always passes the context; the idempotency of writes depends on its deadline. */
export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** What a route does with a request; the invocation's context tells it how long it may run. */
export type RequestHandler = (request: HttpRequest, context: Context) => Promise<HttpResponse>;

/**
 * The frame every HTTP handler runs in: builds the request, turns any error into a JSON error
 * response with the right status (never a stack trace), stamps every response with its
 * request id, and answers a conditional read (If-None-Match) with 304 when it holds. Traced,
 * with the route as an annotation to find its traces by.
 */
export function httpHandler(handle: RequestHandler): HttpLambda {
  return traced(async (event, context) => {
    const started = performance.now();
    const requestId = event.requestContext.requestId;
    tracer.putAnnotation('route', event.routeKey);
    const result = await Promise.resolve(event)
      .then((received) => handle(guarded(received), context))
      .then((response) => toLambdaResult(response, requestId))
      .then(withinPayloadLimit)
      .then((answer) =>
        answerConditionally(
          event.requestContext.http.method,
          event.headers['if-none-match'],
          answer,
        ),
      )
      .catch((error: unknown) => toLambdaResult(errorResponse(error, requestId), requestId));
    logger.info('Request handled', {
      requestId,
      route: event.routeKey,
      status: result.statusCode,
      durationMs: Math.round(performance.now() - started),
    });
    return result;
  });
}

/** The request, once its caller's access allows the route (functions/http/route-access.ts). */
function guarded(event: APIGatewayProxyEventV2): HttpRequest {
  const request = toHttpRequest(event);
  guardRoute(event.routeKey, request);
  return request;
}

/** The Lambda result API Gateway turns into the HTTP response: JSON, never cached, with its request id. */
export function toLambdaResult(
  response: HttpResponse,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-request-id': requestId,
      ...response.headers,
    },
    body: response.body === undefined ? '' : serializeJson(response.body),
  };
}

/**
 * Lambda refuses a synchronous response over its payload limit, and API Gateway then answers a
 * bare 500: every route keeps its answers inside the limit by construction (pages by bytes), and
 * anything that would still be too large (a diff of two large values, say) becomes a 413 here.
 */
function withinPayloadLimit(result: APIGatewayProxyStructuredResultV2) {
  const bytes = Buffer.byteLength(result.body ?? '', 'utf8');
  if (bytes <= responseBodyBudgetBytes) return result;
  throw new ResponseTooLargeError(
    `The answer would be ${bytes} bytes, more than a response can carry (${responseBodyBudgetBytes}). Ask for less: a narrower prefix, a smaller limit, or points closer together.`,
    { details: { sizeBytes: bytes, limitBytes: responseBodyBudgetBytes } },
  );
}

/** Time kept back from a write's retries to answer before the function's deadline. */
const answerMarginMs = 1_500;

/**
 * How long a write may keep retrying under contention: what the invocation has left, less the
 * time to answer, so that it answers 503 write_contention rather than being cut off.
 */
export function retryBudgetOf(context: Context): number {
  return Math.max(0, context.getRemainingTimeInMillis() - answerMarginMs);
}
