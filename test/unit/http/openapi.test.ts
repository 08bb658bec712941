import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';
import { routes } from '#http/routes.ts';

type Operation = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
  security?: unknown[];
};
const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
};

describe('Module: openapi', () => {
  it('is an OpenAPI 3.1 document that survives JSON serialization', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('documents exactly the routes that exist, with their handlers as operation ids', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`,
      ),
    );
    expect(documented.sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path} ${route.handler}`).sort(),
    );
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: path parameters, a success response and the JSON error responses',
    (_, route) => {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(
        operation.parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name),
      ).toEqual(pathParameters);
      expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
      expect(operation.responses['400']).toBeDefined();
      expect(operation.security).toEqual(route.access === 'public' ? [] : undefined);
    },
  );

  it('describes request bodies and required query parameters from the zod schemas', () => {
    const put = document.paths['/config/{name}']?.put as Operation;
    expect(put.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['value'],
            additionalProperties: false,
            properties: { expectedVersion: { type: 'integer', minimum: 0 } },
          },
        },
      },
    });
    const namesDiff = document.paths['/config/diff']?.get as Operation;
    const required = namesDiff.parameters
      .filter((parameter) => parameter.required)
      .map((parameter) => parameter.name);
    expect(required.sort()).toEqual(['from', 'to']);
  });

  it('documents where the change feed starts: after a cursor or since an instant, both optional', () => {
    const changes = document.paths['/changes']?.get as Operation;
    const parameters = changes.parameters as (Operation['parameters'][number] & {
      description?: string;
    })[];
    expect(parameters.map((parameter) => parameter.name)).toEqual([
      'after',
      'since',
      'limit',
      'wait',
    ]);
    expect(parameters.find((parameter) => parameter.name === 'since')).toMatchObject({
      in: 'query',
      required: false,
      description: expect.stringMatching(/at or after .*Not with after/),
    });
  });
});
