import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import createClient from 'openapi-fetch';
import { openApiDocument } from '#http/openapi.ts';
import type { paths } from './openapi-types.ts';

/**
 * Checks answers against the OpenAPI document the server serves, not against the code that
 * generates it: each answer of the typed client (openapi-fetch, over the types openapi-typescript
 * generated from the document) must have a status the operation lists, a body its schema takes
 * (validated by Ajv, a JSON Schema 2020-12 validator that knows nothing of zod), every header the
 * document says it always carries, and no header of the service that it does not list.
 */

type Node = Record<string, unknown>;
interface Header extends Node {
  required?: boolean;
  schema: Node;
}
interface Answer extends Node {
  headers?: Record<string, Node>;
  content?: Record<string, { schema: Node }>;
}
export interface OpenApi {
  paths: Record<string, Record<string, Node & { operationId?: string; responses?: Node }>>;
  components: { schemas: Record<string, Node> } & Record<string, Record<string, Node>>;
}

/** Headers of HTTP itself, which the document does not describe. */
const transportHeaders = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

const base = 'https://config-ledger.test/openapi';

export class DocumentChecker {
  /** `operationId status`, and `operationId status error_code` for errors, as answered. */
  readonly observed = new Set<string>();
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new Map<Node, ValidateFunction>();

  constructor(readonly document: OpenApi) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ $id: base, $defs: absoluteRefs(document.components.schemas) });
  }

  /** Throws, saying why, unless the answer is one the document describes for the operation. */
  async check(method: string, schemaPath: string, response: Response): Promise<void> {
    const operation = this.document.paths[schemaPath]?.[method.toLowerCase()];
    const where = `${method} ${schemaPath} → ${response.status}`;
    const answer = operation?.responses?.[String(response.status)] as Node | undefined;
    if (!operation || !answer) throw new Error(`${where}: not in the document`);
    const documented = this.resolved(answer) as Answer;
    const body = await this.checkBody(where, documented, response);
    this.checkHeaders(where, documented, response.headers);
    const code = response.status >= 400 ? ` ${(body as { error?: string }).error}` : '';
    this.observed.add(`${operation.operationId} ${response.status}${code}`);
  }

  /** Throws unless the value is one the named schema (components.schemas) takes. */
  validate(schemaName: string, value: unknown, where: string): void {
    this.assertValid({ $ref: `#/components/schemas/${schemaName}` }, value, where);
  }

  private async checkBody(where: string, answer: Answer, response: Response): Promise<unknown> {
    const contentType = response.headers.get('content-type') ?? '';
    const [mediaType] = Object.keys(answer.content ?? {});
    if (answer.content === undefined) {
      // Documented without a body (a 304): there must be none.
      if ((await response.text()) !== '')
        throw new Error(`${where}: a body where none is documented`);
      return undefined;
    }
    if (!mediaType || !contentType.startsWith(mediaType)) {
      throw new Error(`${where}: Content-Type ${contentType}, documented ${mediaType}`);
    }
    const body: unknown = JSON.parse(await response.text());
    this.assertValid(answer.content?.[mediaType]?.schema ?? {}, body, where);
    return body;
  }

  private checkHeaders(where: string, answer: Answer, received: Headers): void {
    const documented = new Map(
      Object.entries(answer.headers ?? {}).map(([name, header]) => [
        name.toLowerCase(),
        this.resolved(header) as Header,
      ]),
    );
    for (const [name, header] of documented) {
      const value = received.get(name);
      if (value === null) {
        if (header.required) throw new Error(`${where}: no ${name} header`);
        continue;
      }
      this.assertValid(header.schema, headerValue(value, header.schema), `${where} ${name}`);
    }
    for (const name of received.keys()) {
      if (!transportHeaders.has(name) && !documented.has(name)) {
        throw new Error(`${where}: header ${name} is not in the document`);
      }
    }
  }

  private assertValid(schema: Node, value: unknown, where: string): void {
    let validator = this.validators.get(schema);
    if (!validator) {
      validator = this.ajv.compile(absoluteRefs(schema));
      this.validators.set(schema, validator);
    }
    if (!validator(value)) {
      throw new Error(
        `${where}: ${this.ajv.errorsText(validator.errors)} in ${JSON.stringify(value).slice(0, 500)}`,
      );
    }
  }

  private resolved(node: Node): Node {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const [, , kind = '', name = ''] = ref.split('/');
    const target = this.document.components[kind]?.[name];
    if (!target) throw new Error(`Dangling reference ${ref}`);
    return this.resolved(target);
  }
}

/** A header's text as the value its schema describes (a number, a flag). */
function headerValue(text: string, schema: Node): unknown {
  if (schema.type === 'integer' && /^\d+$/.test(text)) return Number(text);
  if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** References to components.schemas, made absolute for Ajv, which knows only $defs. */
function absoluteRefs<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}#/$defs/`),
  ) as T;
}

/**
 * The typed client of the API, every answer of which is checked against the document first: a
 * test that gets an answer at all got one the document describes.
 */
export function conformingClient(baseUrl: string, checker: DocumentChecker) {
  const api = createClient<paths>({ baseUrl });
  api.use({
    onResponse: async ({ request, response, schemaPath }) => {
      await checker.check(request.method, schemaPath, response.clone());
    },
  });
  return api;
}

export type ApiClient = ReturnType<typeof conformingClient>;

let generatedDocumentChecker: DocumentChecker | undefined;

/**
 * Throws unless an answer met outside the generated client is one the document describes: those
 * the end-to-end test cannot provoke on purpose (a full disk, a read model behind) are checked
 * where other tests meet them. The document is the one GET /openapi.json serves (a test checks
 * they are equal), as JSON.
 */
export async function expectDocumented(
  method: string,
  schemaPath: string,
  answer: { status: number; headers: Headers; text: string },
): Promise<void> {
  generatedDocumentChecker ??= new DocumentChecker(
    JSON.parse(JSON.stringify(openApiDocument())) as OpenApi,
  );
  const response = new Response(answer.text, { status: answer.status, headers: answer.headers });
  await generatedDocumentChecker.check(method, schemaPath, response);
}
