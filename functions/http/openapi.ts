import * as z from 'zod';
import { configNameSchema } from '#domain/config-name.ts';
import * as contract from './contract.ts';
import * as responses from './response-schemas.ts';
import { type HandlerName, type Route, routes } from './routes.ts';

interface OperationDoc {
  readonly summary: string;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Status → [description, schema]; every operation can also answer the error responses. */
  readonly responses: Readonly<Record<number, readonly [string, z.ZodType]>>;
}

const entry = ['The entry.', responses.entryResponse] as const;
const written = {
  200: ['Updated.', responses.entryResponse],
  201: ['Created.', responses.entryResponse],
} as const;

/** One description per route handler: the record type makes a route without one a type error. */
const operations: Readonly<Record<HandlerName, OperationDoc>> = {
  'put-config': { summary: 'Set a value', body: contract.putConfigBodySchema, responses: written },
  'delete-config': {
    summary: 'Delete an entry (its history stays)',
    body: contract.deleteConfigBodySchema,
    responses: { 200: ['Deleted.', responses.deletedResponse] },
  },
  'get-config': {
    summary: 'Read the current value',
    query: contract.getQuerySchema,
    responses: { 200: entry },
  },
  'list-config': {
    summary: 'List entries, now or at a revision or an instant',
    query: contract.listQuerySchema,
    responses: { 200: ['A page of entries.', responses.entryListResponse] },
  },
  'get-history': {
    summary: 'Every event of an entry, oldest first',
    query: contract.historyQuerySchema,
    responses: { 200: ['A page of events.', responses.historyResponse] },
  },
  'get-at': { summary: 'The entry as it was at an instant', responses: { 200: entry } },
  'revert-config': {
    summary: 'Restore an earlier version as a new event',
    body: contract.revertBodySchema,
    responses: {
      200: [
        'Restored: the entry, or the deletion.',
        z.union([responses.entryResponse, responses.deletedResponse]),
      ],
      201: ['Re-created.', responses.entryResponse],
    },
  },
  'get-diff': {
    summary: 'JSON Patch between two versions or instants of an entry',
    query: contract.diffQuerySchema,
    responses: { 200: ['The patch.', responses.entryDiffResponse] },
  },
  'get-config-diff': {
    summary: 'Which names changed between two points (revisions or instants)',
    query: contract.namesDiffQuerySchema,
    responses: { 200: ['A page of changed names.', responses.namesDiffResponse] },
  },
  'get-changes': {
    summary:
      'The change feed in revision order, after a revision or since an instant, with long polling',
    query: contract.changesQuerySchema,
    responses: {
      200: ['Changes after the revision, or since the instant.', responses.changesResponse],
    },
  },
  'export-config': {
    summary: 'The whole configuration as one document',
    query: contract.exportQuerySchema,
    responses: { 200: ['The document.', responses.exportResponse] },
  },
  'import-config': {
    summary: 'Apply an exported document as ordinary events',
    query: contract.importQuerySchema,
    body: contract.importDocumentSchema,
    responses: { 200: ['What changed (or would).', responses.importResponse] },
  },
  'apply-changeset': {
    summary:
      'Apply up to 100 operations (set, delete, revert) on distinct names at one revision, or none',
    query: contract.dryRunQuerySchema,
    body: contract.changesetBodySchema,
    responses: { 200: ['Applied (or, for a dry run, would apply).', responses.changesetResponse] },
  },
  health: {
    summary: "Health: the newest revision, the projector's, and its lag (reads only)",
    responses: {
      200: ['Healthy.', responses.healthResponse],
      503: ['Degraded.', responses.healthResponse],
    },
  },
  'get-openapi': {
    summary: 'This document',
    responses: { 200: ['OpenAPI 3.1.', responses.openApiResponse] },
  },
};

const errorStatuses: Readonly<Record<number, string>> = {
  400: 'Invalid input.',
  404: 'Not found (an entry, a version, or a revision not made yet).',
  409: 'Version conflict.',
  412: 'Precondition failed.',
  413: 'Too large.',
  415: 'Not JSON.',
  422: 'Idempotency-Key reused.',
  500: 'A fault on our side.',
  503: 'Retry shortly: many writers at once, or the read model catching up with a revision.',
};

const pathParameterSchemas: Readonly<Record<string, z.ZodType>> = {
  name: configNameSchema,
  timestamp: z.string().meta({ description: 'ISO-8601 with a zone, e.g. 2026-02-12T10:00:00Z.' }),
};

/** The OpenAPI 3.1 document of the HTTP API, generated from the route table and zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'config-ledger',
      version: '1',
      description:
        'Event-sourced configuration: immutable history, real-time reads, time travel. Every response carries x-request-id.',
    },
    paths,
  };
}

function operationOf(route: Route) {
  const doc = operations[route.handler];
  return {
    operationId: route.handler,
    summary: doc.summary,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: [...pathParameters(route.path), ...queryParameters(doc.query)],
    ...(doc.body ? { requestBody: { required: true, content: jsonContent(doc.body) } } : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(doc.responses).map(([status, [description, schema]]) => [
          status,
          { description, content: jsonContent(schema) },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(errorStatuses).map(([status, description]) => [
          status,
          { description, content: jsonContent(responses.errorResponseSchema) },
        ]),
      ),
    },
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(pathParameterSchemas[name] ?? z.string()),
  }));
}

function queryParameters(query: z.ZodObject | undefined) {
  return Object.entries(query?.shape ?? {}).map(([name, schema]) => {
    const json = jsonSchema(schema as z.ZodType);
    return {
      name,
      in: 'query',
      // Shown next to the parameter by documentation tools, not only inside its schema.
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: json,
    };
  });
}

function jsonContent(schema: z.ZodType) {
  return { 'application/json': { schema: jsonSchema(schema) } };
}

function jsonSchema(schema: z.ZodType) {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}
