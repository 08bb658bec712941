import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';
import { limits } from './limits.ts';
import { InvalidSchemaError, type SchemaViolation } from './schema-errors.ts';
import { describeViolation } from './schema-wording.ts';

/** A schema ready to check values, named as violations name it (`<target>@<version>`). */
export interface CompiledSchema {
  readonly check: ValidateFunction;
  readonly compileMs: number;
}

/**
 * `pattern` and `patternProperties` run on RE2's linear-time engine instead of JavaScript's
 * backtracking one, so no pattern can make a check take exponential time (ReDoS). RE2 refuses
 * what needs backtracking (lookaround, backreferences): such a schema is refused when attached.
 */
const linearTimeRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    const compiled = RE2JS.compile(pattern);
    return {
      test: (text: string) => compiled.test(text),
      // Ajv keys compiled patterns by this text: it must tell patterns apart.
      toString: () => `/${pattern}/${flags}`,
    };
  },
  { code: 'linearTimeRegExp' },
);

/** Compiled validators by the hash of their schema's text: warm Lambdas compile each once. */
const compiledByHash = new Map<string, CompiledSchema>();
const cacheMaxSchemas = 500;

/**
 * Compiles a JSON Schema (draft 2020-12) given as JSON text, or refuses it with the reason.
 * Nothing is ever fetched: a `$ref` must resolve inside the schema itself.
 */
export function compileSchema(schemaText: string): CompiledSchema {
  const hash = createHash('sha256').update(schemaText).digest('base64url');
  const cached = compiledByHash.get(hash);
  if (cached) return cached;
  const compiled = compileFresh(schemaText);
  if (compiledByHash.size >= cacheMaxSchemas) {
    const oldest = compiledByHash.keys().next().value;
    if (oldest !== undefined) compiledByHash.delete(oldest);
  }
  compiledByHash.set(hash, compiled);
  return compiled;
}

function compileFresh(schemaText: string): CompiledSchema {
  assertSchemaSize(schemaText);
  const schema = JSON.parse(schemaText) as unknown;
  assertSchemaDepth(schema);
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null)) {
    throw new InvalidSchemaError('A JSON Schema is an object (or true / false).');
  }
  const startedAt = performance.now();
  const check = compileWithAjv(schema as object | boolean);
  const compileMs = performance.now() - startedAt;
  if (compileMs > limits.schemaCompileMaxMs) {
    throw new InvalidSchemaError(
      `This schema took ${Math.round(compileMs)} ms to compile; the limit is ${limits.schemaCompileMaxMs} ms. Simplify it.`,
      { details: { compileMs: Math.round(compileMs), limitMs: limits.schemaCompileMaxMs } },
    );
  }
  return { check, compileMs };
}

/**
 * One compiler for the process: a new one would compile the 2020-12 meta-schema again each time
 * (about 100 ms). Schemas are not registered by their $id (addUsedSchema), so two with the same
 * $id never collide, and each is dropped from the compiler's cache once compiled (the cache above
 * keeps the validator).
 */
const ajv = new Ajv2020({
  allErrors: true,
  addUsedSchema: false,
  // Formats are annotations, as draft 2020-12's default vocabulary says.
  validateFormats: false,
  // Unknown keywords are refused: a typo such as `maxLenght` would otherwise check nothing.
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allowUnionTypes: true,
  // Each $ref stays a call: inlining could make the generated code grow with the refs' fan-out.
  inlineRefs: false,
  logger: false,
  code: { regExp: linearTimeRegExp },
});

function compileWithAjv(schema: object | boolean): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new InvalidSchemaError(reasonRefused(error), { cause: error });
  } finally {
    // true and false are not cached (and removeSchema refuses them).
    if (typeof schema === 'object') ajv.removeSchema(schema);
  }
}

function reasonRefused(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/can't resolve reference/i.test(message)) {
    return `This schema refers to a schema it does not contain (${message}); references are resolved only inside the schema itself, nothing is fetched.`;
  }
  if (/regexp|Perl syntax|missing closing|invalid escape|invalid character class/i.test(message)) {
    return `A pattern in this schema cannot run on the linear-time regular expression engine (RE2: no lookaround, no backreferences): ${message}.`;
  }
  return `This is not a usable JSON Schema (draft 2020-12): ${message}.`;
}

/** Size, checked on the text before anything parses it. */
function assertSchemaSize(schemaText: string): void {
  const bytes = Buffer.byteLength(schemaText, 'utf8');
  if (bytes > limits.schemaMaxBytes) {
    throw new InvalidSchemaError(
      `This schema is ${bytes} bytes as JSON; the limit is ${limits.schemaMaxBytes} bytes.`,
      { details: { sizeBytes: bytes, limitBytes: limits.schemaMaxBytes } },
    );
  }
}

/** Nesting, checked before the compiler (which recurses) sees the schema. */
function assertSchemaDepth(schema: unknown): void {
  if (exceedsDepth(schema, limits.schemaMaxDepth)) {
    throw new InvalidSchemaError(
      `This schema nests more than ${limits.schemaMaxDepth} levels deep. Flatten it with $defs.`,
      { details: { limitDepth: limits.schemaMaxDepth } },
    );
  }
}

function exceedsDepth(node: unknown, depthLeft: number): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if (depthLeft === 0) return true;
  return Object.values(node).some((child) => exceedsDepth(child, depthLeft - 1));
}

/**
 * How a value (JSON text) breaks a compiled schema, in words, at most limits.violationsMax of
 * them; none when it satisfies it.
 */
export function violationsOf(
  compiled: CompiledSchema,
  valueText: string,
  schemaLabel: string,
): SchemaViolation[] {
  if (compiled.check(JSON.parse(valueText))) return [];
  const errors: ErrorObject[] = compiled.check.errors ?? [];
  return errors.slice(0, limits.violationsMax).map((error) => ({
    path: error.instancePath,
    message: describeViolation(error),
    schema: schemaLabel,
  }));
}
