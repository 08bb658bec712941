import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';

/** A DynamoDB API request as the engine receives it: the operation and its JSON input. */
export interface EngineRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** The engine's answer: HTTP status, JSON body, and the headers it set (request id, CRC). */
export interface EngineAnswer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type EngineCall = (request: EngineRequest) => Promise<EngineAnswer>;

/**
 * Something standing in front of the engine for some operations: it may refuse a request,
 * pass it on (`next`) and look at the answer. Requests for other operations reach the engine
 * untouched.
 */
export interface EngineLayer {
  readonly operations: ReadonlySet<string>;
  handle(request: EngineRequest, next: EngineCall): Promise<EngineAnswer>;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts layers in front of an engine that is an HTTP server (dynalite): the server's own request
 * handling becomes the innermost call, reached in-process (no socket) both by the layers' chain
 * and by the layers' own look-ups (`engine`, which no layer sees).
 */
export function installEngineLayers(
  server: Server,
  buildLayers: (engine: EngineCall) => readonly EngineLayer[],
): void {
  const engineListeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const engine: EngineCall = (request) => callInProcess(engineListeners, server, request);
  const layers = buildLayers(engine);
  const layered = new Set(layers.flatMap((layer) => [...layer.operations]));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const operation = operationOf(request);
    if (!layered.has(operation)) {
      for (const listener of engineListeners) listener.call(server, request, response);
      return;
    }
    readBody(request)
      .then((body) => answerThroughLayers(layers, engine, operation, body))
      .then((answer) => writeAnswer(response, answer))
      .catch((error: unknown) => writeAnswer(response, internalError(error)));
  });
}

function operationOf(request: IncomingMessage): string {
  return String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
}

async function answerThroughLayers(
  layers: readonly EngineLayer[],
  engine: EngineCall,
  operation: string,
  body: string,
): Promise<EngineAnswer> {
  const input = parseInput(body);
  // Not a JSON object: what DynamoDB (and the engine) answer to that.
  if (!input) return serializationError();
  const chain = layers
    .filter((layer) => layer.operations.has(operation))
    .reduceRight<EngineCall>((next, layer) => (request) => layer.handle(request, next), engine);
  return chain({ operation, input });
}

function parseInput(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function writeAnswer(response: ServerResponse, answer: EngineAnswer): void {
  response.statusCode = answer.statusCode;
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    if (name.toLowerCase() !== 'content-length') response.setHeader(name, value);
  }
  if (!response.hasHeader('content-type')) {
    response.setHeader('content-type', 'application/x-amz-json-1.0');
  }
  response.setHeader('content-length', Buffer.byteLength(answer.body));
  response.end(answer.body);
}

/** An error answer in DynamoDB's shape: `__type` names the exception, `message` says why. */
export function errorAnswer(type: string, message: string): EngineAnswer {
  return {
    statusCode: 400,
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

function serializationError(): EngineAnswer {
  return {
    statusCode: 400,
    body: JSON.stringify({ __type: 'com.amazon.coral.service#SerializationException' }),
  };
}

function internalError(error: unknown): EngineAnswer {
  return {
    statusCode: 500,
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: (error as Error).message ?? String(error),
    }),
  };
}

/**
 * Runs the engine's own request handling on a request made here, without a socket: a readable
 * stream carrying the body, and a stand-in response that collects what the engine writes.
 */
function callInProcess(
  listeners: readonly Listener[],
  server: Server,
  { operation, input }: EngineRequest,
): Promise<EngineAnswer> {
  return new Promise((resolve) => {
    const request = Object.assign(new PassThrough(), {
      method: 'POST',
      url: '/',
      headers: {
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-date': '20200101T000000Z',
        // The engine checks that a signature is present, never that it is right.
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
      },
    });
    const headers: Record<string, string> = {};
    const response = {
      statusCode: 200,
      setHeader(name: string, value: unknown) {
        headers[name] = String(value);
      },
      end(body?: string) {
        resolve({ statusCode: response.statusCode, body: body ?? '', headers });
      },
    };
    for (const listener of listeners) {
      // The engine uses only the members given above of a request and a response.
      listener.call(
        server,
        request as unknown as IncomingMessage,
        response as unknown as ServerResponse,
      );
    }
    request.end(Buffer.from(JSON.stringify(input)));
  });
}
