import { describe, expect, it } from 'vitest';
import { ConfigLedgerError } from '#domain/errors.ts';
import { errorResponse, statusByCode } from '#http/error-response.ts';
import { MethodNotAllowedError } from '#http/errors.ts';
import { openApiDocument } from '#http/openapi.ts';
import { errorCodes } from '#http/openapi-errors.ts';
import { type HandlerName, matchRoute, routes } from '#http/routes.ts';
import { configFromEnv } from '#local/config.ts';

type Node = Record<string, unknown> & { $ref?: string };
interface Parameter extends Node {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: Node;
}
interface Response extends Node {
  description: string;
  headers?: Record<string, Node & { required?: boolean }>;
  content?: Record<string, { schema: Node }>;
}
interface Operation extends Node {
  operationId: HandlerName;
  security: Record<string, string[]>[];
  parameters: Node[];
  requestBody?: { required: boolean; content: Record<string, { schema: Node }> };
  responses: Record<string, Node>;
}
interface Document {
  openapi: string;
  servers: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, Operation> & { description: string }>;
  components: Record<string, Record<string, Node>>;
}

const document = openApiDocument() as unknown as Document;

/** A node with its `$ref` followed, as a reader of the document would. */
function resolved<T extends Node>(node: Node): T {
  if (node.$ref === undefined) return node as T;
  const [, , kind = '', name = ''] = node.$ref.split('/');
  return resolved(document.components[kind]?.[name] ?? {});
}

const operationsByHandler = new Map(
  routes.map((route) => [
    route.handler,
    document.paths[route.path]?.[route.method.toLowerCase()] as Operation,
  ]),
);

function operation(handler: HandlerName): Operation {
  const found = operationsByHandler.get(handler);
  if (!found) throw new Error(`No operation ${handler}`);
  return found;
}

function parameters(handler: HandlerName): Parameter[] {
  return operation(handler).parameters.map((parameter) => resolved<Parameter>(parameter));
}

function response(handler: HandlerName, status: number): Response {
  return resolved<Response>(operation(handler).responses[status] ?? {});
}

/** The error codes a response can carry, as its schema narrows them; none for other answers. */
function codesOf(answer: Response): string[] {
  const schema = answer.content?.['application/json']?.schema as { allOf?: Node[] } | undefined;
  const narrowing = schema?.allOf?.[1] as { properties: { error: { enum: string[] } } } | undefined;
  return narrowing?.properties.error.enum ?? [];
}

function errorCodesOf(handler: HandlerName): Record<number, string[]> {
  return Object.fromEntries(
    Object.keys(operation(handler).responses)
      .map(Number)
      .filter((status) => status >= 400 && ![401, 403, 429].includes(status))
      .map((status) => [status, codesOf(response(handler, status))]),
  );
}

class SampleError extends ConfigLedgerError {
  constructor(readonly code: string) {
    super(code);
  }
}

describe('Module: openapi', () => {
  it('is an OpenAPI 3.1 document that survives JSON serialization', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('documents exactly the routes that exist, with their handlers as operation ids', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => method !== 'description')
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as Operation).operationId}`),
    );
    expect(documented.sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path} ${route.handler}`).sort(),
    );
  });

  describe('servers and security', () => {
    it("names the local stack's default address and a deployment's, templated", () => {
      const local = configFromEnv({});
      expect(document.servers.map((server) => server.url)).toEqual([
        `http://${local.host}:${local.port}`,
        'https://{apiId}.execute-api.{region}.amazonaws.com',
      ]);
      expect(Object.keys(document.servers[1]?.variables ?? {})).toEqual(['apiId', 'region']);
    });

    it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s: requires what the route table says, in either deployment mode',
      (_, route) => {
        const expected = {
          public: [],
          read: [
            { sigv4: [] },
            { jwt: ['config:read'] },
            { jwt: ['config:write'] },
            { jwt: ['config:prefixed'] },
          ],
          write: [{ sigv4: [] }, { jwt: ['config:write'] }, { jwt: ['config:prefixed'] }],
        }[route.access];

        expect(operation(route.handler).security).toEqual(expected);
        expect(Boolean(operation(route.handler).responses[403])).toBe(route.access !== 'public');
      },
    );

    it('defines a scheme for each deployment mode: SigV4 (IAM) and bearer JWTs', () => {
      expect(document.components.securitySchemes).toMatchObject({
        sigv4: { type: 'apiKey', in: 'header', name: 'Authorization' },
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      });
    });
  });

  describe('statuses', () => {
    it('describes every error code the server maps to a status, and the fallback', () => {
      // These two answer requests that no operation takes: the document's description says so.
      const unrouted = ['route_not_found', 'method_not_allowed'];
      expect([...Object.keys(errorCodes), ...unrouted].sort()).toEqual(
        [...Object.keys(statusByCode), 'internal_error'].sort(),
      );
      expect(JSON.stringify(document)).toContain('404 `route_not_found`');
    });

    it.each(
      Object.entries(document.components.responses ?? {}).filter(
        ([, answer]) => codesOf(answer as Response).length > 0,
      ),
    )('error response %s: its codes answer its status, with their headers', (name, node) => {
      const answer = node as Response;
      const statuses = new Set(
        routes.flatMap((route) =>
          Object.entries(operation(route.handler).responses)
            .filter(([, ref]) => ref.$ref === `#/components/responses/${name}`)
            .map(([status]) => Number(status)),
        ),
      );
      const codes = codesOf(answer);
      const served = codes.map((code) => errorResponse(new SampleError(code), 'test'));

      expect([...statuses]).toEqual([
        ...new Set(
          served.map((each, index) => (codes[index] === 'internal_error' ? 500 : each.statusCode)),
        ),
      ]);
      const retrying = served.filter((each) => each.headers?.['retry-after']).length;
      const retryAfter = answer.headers?.['Retry-After'];
      expect(Boolean(retryAfter)).toBe(retrying > 0);
      if (retryAfter) expect(retryAfter.required !== false).toBe(retrying === codes.length);
    });

    it('lists per operation the errors its handler can answer, not one list for all', () => {
      const any = { 500: ['internal_error'] };
      const write = {
        500: ['internal_error'],
        412: ['precondition_failed'],
        415: ['unsupported_media_type'],
        422: ['idempotency_key_reused'],
        503: ['write_contention', 'not_caught_up', 'storage_busy', 'storage_unavailable'],
        507: ['insufficient_storage'],
      };
      const writeOfAnExistingEntry = {
        ...write,
        400: ['validation_error', 'invalid_json'],
        404: ['not_found'],
        409: ['version_conflict', 'idempotency_key_in_progress'],
        413: ['payload_too_large'],
      };
      expect(
        Object.fromEntries(routes.map((route) => [route.handler, errorCodesOf(route.handler)])),
      ).toEqual({
        'put-config': {
          ...write,
          400: ['validation_error', 'invalid_json'],
          409: ['version_conflict', 'idempotency_key_in_progress'],
          413: ['value_too_large', 'payload_too_large'],
          422: ['idempotency_key_reused', 'schema_violation', 'invalid_schema'],
        },
        'delete-config': writeOfAnExistingEntry,
        'revert-config': {
          ...writeOfAnExistingEntry,
          422: ['idempotency_key_reused', 'schema_violation', 'invalid_schema'],
        },
        'apply-changeset': {
          ...any,
          400: ['validation_error', 'invalid_json'],
          409: ['idempotency_key_in_progress', 'changeset_conflict'],
          413: ['value_too_large', 'payload_too_large', 'commit_too_large'],
          415: ['unsupported_media_type'],
          422: ['idempotency_key_reused', 'schema_violation', 'invalid_schema'],
          503: ['write_contention', 'not_caught_up', 'storage_busy', 'storage_unavailable'],
          507: ['insufficient_storage'],
        },
        'import-config': {
          ...any,
          400: ['validation_error', 'invalid_json'],
          413: ['value_too_large', 'payload_too_large', 'document_too_large'],
          415: ['unsupported_media_type'],
          422: ['schema_violation', 'invalid_schema'],
          503: ['write_contention', 'not_caught_up', 'storage_busy', 'storage_unavailable'],
          507: ['insufficient_storage'],
        },
        'get-config': {
          ...any,
          400: ['validation_error'],
          404: ['not_found', 'revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'list-config': {
          ...any,
          400: ['validation_error'],
          404: ['revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'get-history': {
          ...any,
          400: ['validation_error'],
          404: ['not_found', 'revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'get-at': {
          ...any,
          400: ['validation_error'],
          404: ['not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'get-diff': {
          ...any,
          400: ['validation_error'],
          404: ['not_found'],
          413: ['response_too_large'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'get-config-diff': {
          ...any,
          400: ['validation_error'],
          404: ['revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'get-changes': {
          ...any,
          400: ['validation_error'],
          404: ['revision_not_found'],
          503: ['storage_busy'],
        },
        'verify-log': {
          ...any,
          400: ['validation_error'],
          404: ['revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'export-config': {
          ...any,
          400: ['validation_error'],
          404: ['revision_not_found'],
          413: ['document_too_large'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'put-schema': {
          ...any,
          400: ['validation_error', 'invalid_json'],
          409: ['version_conflict', 'schema_not_met'],
          412: ['precondition_failed'],
          413: ['payload_too_large'],
          415: ['unsupported_media_type'],
          422: ['invalid_schema'],
          503: ['write_contention', 'not_caught_up', 'storage_busy', 'storage_unavailable'],
          507: ['insufficient_storage'],
        },
        'get-schema': {
          ...any,
          400: ['validation_error'],
          404: ['not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'list-schemas': {
          ...any,
          400: ['validation_error'],
          503: ['not_caught_up', 'storage_busy'],
        },
        'delete-schema': {
          ...any,
          400: ['validation_error', 'invalid_json'],
          404: ['not_found'],
          409: ['version_conflict'],
          412: ['precondition_failed'],
          413: ['payload_too_large'],
          415: ['unsupported_media_type'],
          503: ['write_contention', 'not_caught_up', 'storage_busy', 'storage_unavailable'],
          507: ['insufficient_storage'],
        },
        'get-schema-history': {
          ...any,
          400: ['validation_error'],
          404: ['not_found', 'revision_not_found'],
          503: ['not_caught_up', 'storage_busy'],
        },
        health: { ...any, 400: ['validation_error'], 503: [] },
        'get-openapi': { ...any, 400: ['validation_error'] },
      });
    });

    it('answers a degraded health check with the health report, not an error', () => {
      expect(operation('health').responses[503]).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
      });
    });

    it.each(Object.keys(document.paths))(
      '%s: names the methods it takes, and those any other method gets in Allow with 405',
      (path) => {
        const methods = routes.filter((route) => route.path === path).map((route) => route.method);
        const refusal = (() => {
          try {
            matchRoute('PATCH', path.replace(/\{\w+\}/g, 'x'));
          } catch (error) {
            return error;
          }
        })();

        expect(refusal).toBeInstanceOf(MethodNotAllowedError);
        const allowed = (refusal as MethodNotAllowedError).allowedMethods;
        expect(allowed).toEqual(expect.arrayContaining(methods));
        expect(document.paths[path]?.description).toMatch(`Methods: ${methods.join(', ')}`);
        expect(document.paths[path]?.description).toContain(`\`Allow: ${allowed.join(', ')}\``);
      },
    );

    it('says which template takes the methods a literal path shares with one', () => {
      expect(document.paths['/config/diff']?.description).toBe(
        'Methods: GET (and PUT as /config/{name}, DELETE as /config/{name}). Any other method: 405 method_not_allowed, with `Allow: GET, PUT, DELETE`.',
      );
    });
  });

  describe('headers', () => {
    const headerNames = (handler: HandlerName) =>
      parameters(handler)
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => parameter.name);

    it('takes preconditions and idempotency keys on the writes of one entry, X-Actor on every write, If-None-Match on every read', () => {
      const conditional = ['X-Actor', 'If-Match', 'If-None-Match', 'Idempotency-Key'];
      const read = ['If-None-Match'];
      expect(
        Object.fromEntries(routes.map((route) => [route.handler, headerNames(route.handler)])),
      ).toEqual({
        'put-config': conditional,
        'delete-config': conditional,
        'revert-config': conditional,
        'import-config': ['X-Actor'],
        'apply-changeset': ['X-Actor', 'Idempotency-Key'],
        'get-config': read,
        'list-config': read,
        'get-history': read,
        'get-at': read,
        'get-diff': read,
        'get-config-diff': read,
        'get-changes': read,
        'verify-log': read,
        'export-config': read,
        'put-schema': ['X-Actor', 'If-Match', 'If-None-Match'],
        'get-schema': read,
        'list-schemas': read,
        'delete-schema': ['X-Actor', 'If-Match', 'If-None-Match'],
        'get-schema-history': read,
        health: read,
        'get-openapi': read,
      });
      expect(resolved<Parameter>({ $ref: '#/components/parameters/XActor' }).description).toMatch(
        /^Local stack only/,
      );
    });

    it('sends X-Request-Id with every answer of the service, Config-Revision with every answer at a revision', () => {
      for (const route of routes) {
        for (const [status, node] of Object.entries(operation(route.handler).responses)) {
          const headers = resolved<Response>(node).headers ?? {};
          // A 403 is API Gateway's or the service's (access by prefix): it may carry it.
          const ours = ![401, 429].includes(Number(status));
          expect(Boolean(headers['X-Request-Id']), `${route.handler} ${status}`).toBe(ours);
          // A 304 keeps the headers of the 200 it stands for.
          const atRevision =
            (Number(status) < 300 || status === '304') &&
            !['health', 'get-openapi'].includes(route.handler);
          expect(Boolean(headers['Config-Revision']), `${route.handler} ${status}`).toBe(
            atRevision,
          );
        }
      }
    });

    it('sends ETag on every read and its 304, and on the writes that answer the entry', () => {
      const withEtag = routes.flatMap((route) =>
        Object.keys(operation(route.handler).responses)
          .filter((status) => response(route.handler, Number(status)).headers?.ETag)
          .map((status) => `${route.handler} ${status}`),
      );
      const reads = routes.filter((route) => route.method === 'GET');
      expect(withEtag.sort()).toEqual(
        [
          'put-config 200',
          'put-config 201',
          'revert-config 200',
          'revert-config 201',
          'put-schema 200',
          'put-schema 201',
          ...reads.flatMap((route) => [`${route.handler} 200`, `${route.handler} 304`]),
        ].sort(),
      );
      expect(response('revert-config', 200).headers?.ETag).toMatchObject({ required: false });
      expect(response('list-config', 304).content).toBeUndefined();
    });

    it('says when to retry on the errors that are worth retrying', () => {
      expect(response('get-config', 503).headers?.['Retry-After']).toEqual({
        $ref: '#/components/headers/RetryAfter',
      });
      expect(response('put-config', 503).headers?.['Retry-After']).toMatchObject({
        required: false,
        description: expect.stringContaining(
          'With write_contention, not_caught_up and storage_busy.',
        ),
      });
    });
  });

  describe('parameters', () => {
    it('describes what a client sends: limit as an integer with its bounds and default', () => {
      const limit = parameters('list-config').find((parameter) => parameter.name === 'limit');
      expect(limit?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
      const flags = [
        ...parameters('get-config').filter((parameter) => parameter.name === 'consistent'),
        ...parameters('import-config').filter((parameter) => parameter.name === 'dryRun'),
      ];
      expect(flags.map((flag) => flag.schema.type)).toEqual(['boolean', 'boolean']);
      const revision = parameters('get-config').find((parameter) => parameter.name === 'revision');
      expect(revision?.schema).toMatchObject({ type: 'integer', minimum: 0 });
      expect(revision?.schema).not.toHaveProperty('pattern');
    });

    it('refers to one component for each parameter that several operations share', () => {
      const refs = new Set(
        routes.flatMap((route) =>
          operation(route.handler).parameters.flatMap((parameter) => parameter.$ref ?? []),
        ),
      );
      expect([...refs].sort()).toEqual(
        [
          'At',
          'DryRun',
          'IdempotencyKey',
          'IfMatch',
          'IfNoneMatch',
          'IfNoneMatchRead',
          'Limit',
          'Name',
          'NextToken',
          'Prefix',
          'Revision',
          'Target',
          'XActor',
        ].map((name) => `#/components/parameters/${name}`),
      );
    });

    it('describes request bodies and required query parameters from the zod schemas', () => {
      expect(operation('put-config').requestBody).toMatchObject({
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/PutConfigRequest' } },
        },
      });
      expect(operation('delete-config').requestBody?.required).toBe(false);
      expect(document.components.schemas?.PutConfigRequest).toMatchObject({
        type: 'object',
        required: ['value'],
        additionalProperties: false,
        properties: { expectedVersion: { type: 'integer', minimum: 0 } },
      });
      const required = parameters('get-config-diff')
        .filter((parameter) => parameter.required)
        .map((parameter) => parameter.name);
      expect(required.sort()).toEqual(['from', 'to']);
    });

    it('documents where the change feed starts: after a revision or since an instant, both optional', () => {
      const feed = parameters('get-changes');
      expect(feed.map((parameter) => parameter.name)).toEqual([
        'after',
        'since',
        'limit',
        'wait',
        'If-None-Match',
      ]);
      expect(feed.find((parameter) => parameter.name === 'since')).toMatchObject({
        in: 'query',
        required: false,
        description: expect.stringMatching(/at or after .*Not with after/),
      });
    });
  });

  describe('components', () => {
    it('names the shapes a client meets, and refers to them instead of repeating them', () => {
      expect(Object.keys(document.components.schemas ?? {})).toEqual(
        expect.arrayContaining(['Entry', 'HistoryEvent', 'Change', 'Error', 'PageToken']),
      );
      expect(document.components.schemas?.EntryPage).toMatchObject({
        properties: {
          items: { items: { $ref: '#/components/schemas/Entry' } },
          nextToken: { $ref: '#/components/schemas/PageToken' },
        },
      });
      expect(operation('get-config').responses[200]).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Entry' } } },
      });
    });
  });
});
