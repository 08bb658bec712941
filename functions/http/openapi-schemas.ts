import * as z from 'zod/mini';
import * as contract from './contract.ts';
import * as responses from './response-schemas.ts';

/**
 * The zod schemas the OpenAPI document names (components.schemas), by name. A schema used
 * anywhere in the document is written as a `$ref` to its name, so that a generated client gets
 * one type per concept instead of the same shape repeated inline.
 */
const named: Readonly<Record<string, z.core.$ZodType>> = {
  JsonValue: responses.jsonValue,
  Instant: responses.instant,
  Version: responses.version,
  Revision: responses.revision,
  PageToken: responses.pageToken,
  Entry: responses.entryResponse,
  DeletedEntry: responses.deletedResponse,
  EntryPage: responses.entryListResponse,
  HistoryEvent: responses.historyEventResponse,
  HistoryPage: responses.historyResponse,
  EntryDiff: responses.entryDiffResponse,
  NameChange: responses.nameChangeResponse,
  NameChangesPage: responses.namesDiffResponse,
  Change: responses.changeResponse,
  ChangesPage: responses.changesResponse,
  VerifyPage: responses.verifyResponse,
  ExportedEntry: responses.exportedEntryResponse,
  ExportDocument: responses.exportResponse,
  ImportResult: responses.importResponse,
  HealthCheck: responses.healthCheckResponse,
  Health: responses.healthResponse,
  Error: responses.errorResponseSchema,
  GatewayError: responses.gatewayErrorResponse,
  OpenApiDocument: responses.openApiResponse,
  PutConfigRequest: contract.putConfigBodySchema,
  DeleteConfigRequest: contract.deleteConfigBodySchema,
  RevertRequest: contract.revertBodySchema,
  ImportDocument: contract.importDocumentSchema,
};

const registry = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });

type JsonSchema = Record<string, unknown>;

export function schemaRef(name: string): JsonSchema {
  if (!(name in named)) throw new TypeError(`No schema named ${name} in the document.`);
  return { $ref: `#/components/schemas/${name}` };
}

/** A named schema as a `$ref`; any other as its JSON Schema, inline. */
export function schemaOf(schema: z.core.$ZodType): JsonSchema {
  const id = registry.get(schema)?.id;
  return id === undefined ? jsonSchema(schema) : schemaRef(id);
}

/** Every named schema, referring to one another by `$ref`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    ...options,
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]),
  );
}

/** A schema inline: what a client sends or receives, never how the server parses it. */
export function jsonSchema(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, options);
  return rest;
}

/** Keywords that only constrain the text form of a value, not the value a client means. */
const textKeywords = ['pattern', 'minLength', 'maxLength', 'enum', 'format'] as const;

const options = {
  // Requests are described as a client writes them: defaults make fields optional.
  io: 'input',
  unrepresentable: 'any',
  override: ({ zodSchema, jsonSchema: json }) => {
    describeDefault(zodSchema, json);
    describeParsedText(json);
    dropSafeIntegerBounds(json);
  },
} satisfies z.core.ToJSONSchemaParams;

/**
 * A default that is not text (a page size of 100) is left out by zod for a schema that parses
 * text; a client still gets it, so the document says so.
 */
function describeDefault(zodSchema: z.core.$ZodType, json: JsonSchema): void {
  const { def } = zodSchema._zod;
  if (def.type === 'default' && json.default === undefined) {
    json.default = (def as z.core.$ZodDefaultDef).defaultValue;
  }
}

/**
 * Query parameters arrive as text and are parsed to numbers and flags; their metadata says what
 * a client sends (`type: 'integer'`), so the keywords of the text they arrive as go.
 */
function describeParsedText(json: JsonSchema): void {
  if (json.type !== 'integer' && json.type !== 'boolean') return;
  for (const keyword of textKeywords) delete json[keyword];
  if (json.type === 'boolean' && typeof json.default === 'string') {
    json.default = json.default === 'true';
  }
}

/** zod bounds every integer by JavaScript's safe range: true of every number, so just noise. */
function dropSafeIntegerBounds(json: JsonSchema): void {
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
}
