import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod/mini';
import { configNameSchema } from '#domain/config-name.ts';
import { type RequestHeader, requestHeaders } from './openapi-headers.ts';
import { jsonSchema } from './openapi-schemas.ts';

/** An OpenAPI parameter object, or a reference to one in components.parameters. */
export type Parameter = Record<string, unknown>;

const pathParameterSchemas: Readonly<Record<string, z.ZodMiniType>> = {
  name: configNameSchema.check(
    z.meta({
      description:
        "The entry's name: A-Z a-z 0-9 . _ : -, starting with a letter or a digit; `.` and `:` give it a hierarchy. `diff` is reserved.",
    }),
  ),
  timestamp: z
    .string()
    .check(z.meta({ description: 'An ISO-8601 instant with a zone, e.g. 2026-02-12T10:00:00Z.' })),
};

export function pathParameters(path: string): Parameter[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => {
    return {
      name,
      in: 'path',
      required: true,
      ...describedSchema(pathParameterSchemas[name] ?? z.string()),
    };
  });
}

/** The query parameters of a query schema, as a client sends them. */
export function queryParameters(query: z.ZodMiniObject | undefined): Parameter[] {
  return Object.entries(query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !z.safeParse(schema, undefined).success,
    ...describedSchema(schema),
  }));
}

/** The parameter's schema, its description moved up to the parameter, where tools show it. */
function describedSchema(schema: z.core.$ZodType) {
  const { description, ...json } = jsonSchema(schema);
  return {
    ...(typeof description === 'string' ? { description } : {}),
    schema: json,
  };
}

export function headerParameters(headers: readonly RequestHeader[]): Parameter[] {
  return headers.map((header) => ({ $ref: `#/components/parameters/${header}` }));
}

/**
 * Parameters in components: the request headers, and every path or query parameter that
 * several operations take exactly alike (name, prefix, limit, nextToken, revision, at…), which
 * the operations then refer to. One that differs somewhere (`from` is a version in one route,
 * a revision in another) stays inline wherever it appears.
 */
export function shareParameters(operations: readonly Parameter[][]): {
  components: Record<string, Parameter>;
  operations: Parameter[][];
} {
  const shared = sharedParameters(operations.flat());
  const components: Record<string, Parameter> = { ...requestHeaders };
  for (const parameter of shared.values()) components[componentName(parameter)] = parameter;
  return {
    components,
    operations: operations.map((parameters) =>
      parameters.map((parameter) =>
        shared.has(keyOf(parameter))
          ? { $ref: `#/components/parameters/${componentName(parameter)}` }
          : parameter,
      ),
    ),
  };
}

function sharedParameters(all: readonly Parameter[]): Map<string, Parameter> {
  const seen = new Map<string, Parameter[]>();
  for (const parameter of all) {
    if ('$ref' in parameter) continue;
    seen.set(keyOf(parameter), [...(seen.get(keyOf(parameter)) ?? []), parameter]);
  }
  return new Map(
    [...seen].flatMap(([key, [first, ...others]]) =>
      first && others.length > 0 && others.every((other) => isDeepStrictEqual(other, first))
        ? [[key, first]]
        : [],
    ),
  );
}

function keyOf(parameter: Parameter): string {
  return `${String(parameter.in)} ${String(parameter.name)}`;
}

function componentName(parameter: Parameter): string {
  const name = String(parameter.name);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
