import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { CompileOutcome } from './json-schema-compiler.ts';
import { limits } from './limits.ts';
import { InvalidSchemaError, type SchemaViolation } from './schema-errors.ts';
import { describeViolation } from './schema-wording.ts';

/** A schema ready to check values, named as violations name it (`<target>@<version>`). */
export interface CompiledSchema {
  readonly check: ValidateFunction;
  readonly compileMs: number;
}

/** The compiler, given by the caller, which loads it when it is first needed. */
export type CompileJsonSchema = (schema: object | boolean) => CompileOutcome;

/** Compiled validators by the hash of their schema's text: warm Lambdas compile each once. */
const compiledByHash = new Map<string, CompiledSchema>();
const cacheMaxSchemas = 500;

/**
 * Compiles a JSON Schema (draft 2020-12) given as JSON text, or refuses it with the reason.
 * Nothing is ever fetched: a `$ref` must resolve inside the schema itself.
 */
export function compileSchema(schemaText: string, compile: CompileJsonSchema): CompiledSchema {
  const hash = createHash('sha256').update(schemaText).digest('base64url');
  const cached = compiledByHash.get(hash);
  if (cached) return cached;
  const compiled = compileFresh(schemaText, compile);
  if (compiledByHash.size >= cacheMaxSchemas) {
    const oldest = compiledByHash.keys().next().value;
    if (oldest !== undefined) compiledByHash.delete(oldest);
  }
  compiledByHash.set(hash, compiled);
  return compiled;
}

function compileFresh(schemaText: string, compile: CompileJsonSchema): CompiledSchema {
  assertSchemaSize(schemaText);
  const schema = JSON.parse(schemaText) as unknown;
  assertSchemaDepth(schema);
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null)) {
    throw new InvalidSchemaError('A JSON Schema is an object (or true / false).');
  }
  const startedAt = performance.now();
  const outcome = compile(schema as object | boolean);
  const compileMs = performance.now() - startedAt;
  if ('refusal' in outcome) throw new InvalidSchemaError(outcome.refusal, { cause: outcome.cause });
  if (compileMs > limits.schemaCompileMaxMs) {
    throw new InvalidSchemaError(
      `This schema took ${Math.round(compileMs)} ms to compile; the limit is ${limits.schemaCompileMaxMs} ms. Simplify it.`,
      { details: { compileMs: Math.round(compileMs), limitMs: limits.schemaCompileMaxMs } },
    );
  }
  return { check: outcome.check, compileMs };
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
