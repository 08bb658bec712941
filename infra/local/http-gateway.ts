import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { actorSchema } from '#domain/actor.ts';
import { AccessDeniedError, ValidationError } from '#domain/errors.ts';
import { limits } from '#domain/limits.ts';
import { routeScopes } from '#http/access-scopes.ts';
import { errorResponse } from '#http/error-response.ts';
import { PayloadTooLargeError } from '#http/errors.ts';
import { type HttpLambda, toLambdaResult } from '#http/http-handler.ts';
import { matchRoute, type RouteMatch } from '#http/routes.ts';
import { consoleFile } from './console-files.ts';
import { storageFault, storageFaultError } from './engine-storage.ts';
import { lambdaBody } from './gateway-body.ts';
import type { LoadedHandlers } from './handler-registry.ts';
import { lambdaContext } from './lambda-context.ts';
import { stackLogger } from './stack-logger.ts';

/** API Gateway's own payload limit; the functions enforce their tighter ones. */
const gatewayPayloadMaxBytes = 10 * 1024 * 1024;

export interface GatewayOptions {
  /** Every function's timeout, instead of its deployed one. @default - each function's own */
  readonly functionTimeoutMs?: number;
}

/**
 * API Gateway (HTTP API, payload format 2.0) on one machine: routes each request with the
 * shared route table, builds the event API Gateway would send, and invokes the same handler the
 * Lambda runs, with a context whose deadline is the function's timeout. The caller's identity
 * comes from the X-Actor header (else "local"), handed over the way a Lambda authorizer would;
 * with an X-Scopes header (space-separated), the way API Gateway's JWT authorizer hands over a
 * token's claims, after the same per-route scope check (docs/access.md).
 */
export function createGateway(handlers: LoadedHandlers, options: GatewayOptions = {}): Server {
  return createServer((request, response) => {
    const requestId = randomUUID();
    handle(handlers, request, requestId, options)
      .catch((error: unknown) => toLambdaResult(errorResponse(error, requestId), requestId))
      .then((result) => send(response, result, request.complete))
      // A client that went away (or a stack stopping under a long poll) gets no answer; the
      // process must not fall over for it.
      .catch((error: unknown) =>
        stackLogger.warn('Could not send a response', { requestId, error: error as Error }),
      );
  });
}

async function handle(
  handlers: LoadedHandlers,
  request: IncomingMessage,
  requestId: string,
  options: GatewayOptions,
): Promise<APIGatewayProxyStructuredResultV2> {
  const body = await readBody(request);
  const method = request.method ?? 'GET';
  const [rawPath = '/', rawQueryString = ''] = (request.url ?? '/').split(/\?(.*)/s);
  const match = tryMatch(method, rawPath);
  if (!match && (method === 'GET' || method === 'HEAD')) {
    const file = await consoleFile(rawPath, requestId);
    if (file) return file;
  }
  const handler: HttpLambda = match ? handlers.http[match.route.handler] : handlers.routeNotFound;
  const event = toEvent({ request, requestId, method, rawPath, rawQueryString, body, match });
  const functionName = match?.route.handler ?? 'route-not-found';
  const writes = method !== 'GET' && method !== 'HEAD';
  refuseWritesWhileStorageFails(writes);
  const result = await handler(
    event,
    lambdaContext(functionName, requestId, options.functionTimeoutMs),
  );
  if ((result.statusCode ?? 200) >= 500) refuseWritesWhileStorageFails(writes);
  return result;
}

/** A write after the engine's disk failed gets that failure in words, not a 500. */
function refuseWritesWhileStorageFails(writes: boolean): void {
  const fault = storageFault();
  if (writes && fault) throw storageFaultError(fault);
}

function tryMatch(method: string, path: string): RouteMatch | undefined {
  try {
    return matchRoute(method, path);
  } catch {
    return undefined;
  }
}

interface EventParts {
  request: IncomingMessage;
  requestId: string;
  method: string;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  match?: RouteMatch;
}

function toEvent(parts: EventParts): APIGatewayProxyEventV2 {
  const headers = headersOf(parts.request);
  const now = new Date();
  const routeKey = parts.match
    ? `${parts.match.route.method} ${parts.match.route.path}`
    : '$default';
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer: unknown } } = {
    version: '2.0',
    routeKey,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    headers,
    queryStringParameters: queryOf(parts.rawQueryString),
    pathParameters: parts.match?.pathParameters,
    ...lambdaBody(parts.body, headers['content-type']),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      requestId: parts.requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      http: {
        method: parts.method,
        path: parts.rawPath,
        protocol: `HTTP/${parts.request.httpVersion}`,
        sourceIp: parts.request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      authorizer: authorizerOf(headers, parts.match),
    },
  };
  return event;
}

/** As an authorizer would establish the caller: a Lambda authorizer's actor, or a JWT's claims. */
function authorizerOf(headers: Record<string, string>, match: RouteMatch | undefined) {
  const actor = actorOf(headers['x-actor']);
  const scope = headers['x-scopes'];
  if (scope === undefined) return { lambda: { actor } };
  const access = match?.route.access;
  if (access !== undefined && access !== 'public') {
    const accepted: readonly string[] = routeScopes[access];
    if (!scope.split(/\s+/).some((granted) => accepted.includes(granted))) {
      throw new AccessDeniedError(
        `The token has none of the scopes this route accepts: ${accepted.join(', ')}.`,
      );
    }
  }
  return { jwt: { claims: { sub: actor, scope }, scopes: null } };
}

function actorOf(header: string | undefined): string {
  if (header === undefined) return 'local';
  if (!actorSchema.safeParse(header).success) {
    throw new ValidationError(
      `X-Actor must be 1 to ${limits.actorMaxLength} printable characters.`,
    );
  }
  return header;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** As API Gateway does: decoded values, repeated parameters joined with commas. */
function queryOf(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  return query;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > gatewayPayloadMaxBytes) {
      throw new PayloadTooLargeError(
        `Request bodies are limited to ${gatewayPayloadMaxBytes} bytes.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(
  response: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  bodyFullyRead: boolean,
): void {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  response.writeHead(result.statusCode ?? 200, {
    ...headers,
    'content-length': body.length,
    // An upload refused half-way leaves unread bytes on the connection: close it.
    ...(bodyFullyRead ? {} : { connection: 'close' }),
  });
  response.end(body);
}
