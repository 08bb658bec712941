import type * as z from 'zod/mini';
import { accessScopes, routeScopes } from './access-scopes.ts';
import { MethodNotAllowedError } from './errors.ts';
import { type ErrorResponse, errorResponsesFor } from './openapi-errors.ts';
import { type HeaderUse, headerComponents, headersOf } from './openapi-headers.ts';
import {
  anyRequest,
  type OperationDoc,
  operations,
  type Success,
  usesTables,
} from './openapi-operations.ts';
import {
  headerParameters,
  type Parameter,
  pathParameters,
  queryParameters,
  shareParameters,
} from './openapi-parameters.ts';
import { componentSchemas, schemaOf, schemaRef } from './openapi-schemas.ts';
import { matchRoute, type Route, routes } from './routes.ts';

/** The OpenAPI 3.1 document of the HTTP API, generated from the route table and zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const errorResponses = new Map<string, ErrorResponse['response']>();
  const built = routes.map((route) => ({ route, ...operationOf(route, errorResponses) }));
  const parameters = shareParameters(built.map((operation) => operation.parameters));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [index, { route, operation }] of built.entries()) {
    paths[route.path] ??= { description: pathDescription(route.path) };
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      ...operation,
      parameters: parameters.operations[index],
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers,
    paths,
    components: {
      schemas: componentSchemas(),
      parameters: parameters.components,
      responses: { ...gatewayResponses, ...Object.fromEntries(errorResponses) },
      headers: headerComponents(),
      securitySchemes,
    },
  };
}

const info = {
  title: 'config-ledger',
  version: '1',
  description: [
    'Event-sourced configuration: immutable history, real-time reads, time travel.',
    '',
    'Every change takes the next **revision** in one order across all names. Reads say which revision they show in `Config-Revision`, and take `revision` to read exactly there again.',
    '',
    'Every answer of the service is JSON and carries `X-Request-Id`. Errors are `{"error": code, "message", "details"?}`, with a stable code; each operation lists the codes it can answer. A path that no route takes answers 404 `route_not_found`; a method a path does not take answers 405 `method_not_allowed`, with an `Allow` header naming those it does (each path\'s description lists them).',
    '',
    'Deployments authenticate every route but `/health`, with AWS SigV4 (authMode=iam) or a JWT (authMode=jwt): see the security schemes. API Gateway then answers 401, 403 and 429 itself, as `{"message"}`. The local stack authenticates no one.',
  ].join('\n'),
};

const servers = [
  {
    url: 'http://127.0.0.1:4000',
    description:
      'The local stack (`npm start`; PORT changes the port). No authentication: X-Actor names the caller.',
  },
  {
    url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
    description: "A deployment: the stack's ApiUrl output (API Gateway HTTP API, $default stage).",
    variables: {
      apiId: { default: 'your-api-id', description: 'The HTTP API id, from ApiUrl.' },
      region: { default: 'us-east-1', description: 'The AWS region of the stack.' },
    },
  },
];

const securitySchemes = {
  sigv4: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      "Deployments with authMode=iam: requests signed with AWS Signature Version 4 for the service `execute-api`, by a principal with the stack's readers' policy (read routes) or writers' policy (write routes).",
    'x-amazon-apigateway-authtype': 'awsSigv4',
  },
  jwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `Deployments with authMode=jwt: an access token from the configured issuer and audience, with the scope \`${accessScopes.read}\` or \`${accessScopes.write}\` for read routes, \`${accessScopes.write}\` for write routes; or, for access limited to name prefixes, \`${accessScopes.prefixed}\` with \`config:read:<prefix>\` and \`config:write:<prefix>\` scopes (see docs/access.md). A route outside the token's access answers 403 forbidden.`,
  },
};

/** The security a route requires, by its access level in the route table. */
function securityOf(access: Route['access']) {
  if (access === 'public') return [];
  return [{ sigv4: [] }, ...routeScopes[access].map((scope) => ({ jwt: [scope] }))];
}

const gatewayError = (description: string, headers: readonly HeaderUse[] = []) => ({
  description,
  ...(headers.length > 0 ? { headers: headersOf(headers) } : {}),
  content: { 'application/json': { schema: schemaRef('GatewayError') } },
});

/** What API Gateway answers by itself in a deployment, before any function runs. */
const gatewayResponses = {
  Unauthorized: gatewayError(
    'Deployments with JWTs (API Gateway): no token, or one that is invalid, expired or for another audience.',
    ['WwwAuthenticate'],
  ),
  Forbidden: {
    description:
      'Deployments (API Gateway, as `{"message"}`): an unsigned request or a principal whose policy does not allow this route (IAM), or a token without any of this route\'s scopes (JWT). From the service (as `{"error": "forbidden"}`, also on the local stack): the caller\'s access by prefix does not cover the name, the prefix or a name in the body (docs/access.md); the same answer whether an entry exists or not.',
    headers: headersOf([
      { header: 'XRequestId', when: 'From the service.' },
      { header: 'CacheControl', when: 'From the service.' },
    ]),
    content: {
      'application/json': {
        schema: { anyOf: [schemaRef('GatewayError'), schemaRef('Error')] },
      },
    },
  },
  TooManyRequests: gatewayError(
    "Deployments (API Gateway): over the stage's request rate; retry with backoff.",
  ),
};

/**
 * The methods a path takes, and the 405 any other gets, with the methods its Allow header names:
 * asked of the router itself, since a literal path can also match a template (`/config/diff` is
 * also `/config/{name}`, for which `diff` is a reserved name).
 */
function pathDescription(path: string): string {
  const methods = routes.filter((route) => route.path === path).map((route) => route.method);
  const sample = path.replace(/\{\w+\}/g, 'x');
  const allowed = allowedMethods(sample);
  const elsewhere = allowed
    .filter((method) => !methods.includes(method as (typeof methods)[number]))
    .map((method) => `${method} as ${matchRoute(method, sample).route.path}`);
  return [
    `Methods: ${methods.join(', ')}${elsewhere.length > 0 ? ` (and ${elsewhere.join(', ')})` : ''}.`,
    `Any other method: 405 method_not_allowed, with \`Allow: ${allowed.join(', ')}\`.`,
  ].join(' ');
}

/** The methods the router names in Allow for a path: those of every route it matches. */
function allowedMethods(samplePath: string): readonly string[] {
  try {
    matchRoute(unroutedMethod, samplePath);
  } catch (error) {
    if (error instanceof MethodNotAllowedError) return error.allowedMethods;
  }
  throw new TypeError(`${unroutedMethod} ${samplePath} should have been refused with 405.`);
}

/** A method no route takes. */
const unroutedMethod = 'PATCH';

function operationOf(route: Route, errorResponses: Map<string, ErrorResponse['response']>) {
  const doc =
    route.method === 'GET' ? conditionalRead(operations[route.handler]) : operations[route.handler];
  const traits = [anyRequest, ...(doc.neverStorageBusy ? [] : [usesTables]), ...doc.traits];
  const errors = errorResponsesFor([...traits.flatMap((trait) => trait.errors), ...doc.errors]);
  for (const { name, response } of errors.values()) errorResponses.set(name, response);
  const parameters: Parameter[] = [
    ...pathParameters(route.path),
    ...queryParameters(doc.query),
    ...headerParameters(traits.flatMap((trait) => trait.requestHeaders ?? [])),
  ];
  const successHeaders = traits.flatMap((trait) => trait.successHeaders ?? []);
  return {
    parameters,
    operation: {
      operationId: route.handler,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      security: securityOf(route.access),
      ...(doc.body ? { requestBody: requestBodyOf(doc.body) } : {}),
      responses: {
        ...successResponses(doc, successHeaders),
        ...refsTo(errors, doc),
        ...(route.access === 'public' ? {} : { 401: ref('Unauthorized'), 403: ref('Forbidden') }),
        429: ref('TooManyRequests'),
      },
    },
  };
}

/** Every read answers If-None-Match: an ETag on its 200, and 304 while that still holds. */
function conditionalRead(doc: OperationDoc): OperationDoc {
  const ok = doc.successes[200];
  if (!ok) return doc;
  return {
    ...doc,
    traits: [...doc.traits, { errors: [], requestHeaders: ['IfNoneMatchRead'] }],
    successes: {
      ...doc.successes,
      200: { ...ok, etag: ok.etag ?? 'always' },
      304: {
        description: 'Not modified: the ETag sent in If-None-Match still holds.',
        etag: 'always',
      },
    },
  };
}

function requestBodyOf(body: NonNullable<OperationDoc['body']>) {
  return {
    required: body.required,
    description:
      'JSON (Content-Type: application/json, or any application/*+json), in UTF-8. Any other type or charset: 415.',
    content: { 'application/json': { schema: schemaOf(body.schema) } },
  };
}

function successResponses(doc: OperationDoc, extraHeaders: readonly HeaderUse[]) {
  return Object.fromEntries(
    Object.entries(doc.successes).map(([status, success]: [string, Success]) => [
      status,
      {
        description: success.description,
        headers: headersOf([
          'XRequestId',
          'CacheControl',
          ...(doc.atRevision ? (['ConfigRevision'] as const) : []),
          ...etagOf(success),
          ...extraHeaders,
        ]),
        ...(success.body === undefined
          ? {}
          : { content: { 'application/json': { schema: bodySchemaOf(success.body) } } }),
      },
    ]),
  );
}

function etagOf(success: Success): HeaderUse[] {
  if (success.etag === undefined) return [];
  return success.etag === 'always' ? ['ETag'] : [{ header: 'ETag', when: success.etag }];
}

function bodySchemaOf(body: NonNullable<Success['body']>) {
  return isOneOf(body) ? { oneOf: body.map(schemaOf) } : schemaOf(body);
}

function isOneOf(body: NonNullable<Success['body']>): body is readonly z.core.$ZodType[] {
  return Array.isArray(body);
}

function refsTo(errors: Map<number, ErrorResponse>, doc: OperationDoc) {
  for (const status of errors.keys()) {
    if (status in doc.successes) {
      throw new TypeError(`Status ${status} is both a success and an error of one operation.`);
    }
  }
  return Object.fromEntries([...errors].map(([status, { name }]) => [status, ref(name)]));
}

function ref(name: string) {
  return { $ref: `#/components/responses/${name}` };
}
