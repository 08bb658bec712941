import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

/**
 * The JSON Schema compiler itself: Ajv, with RE2 for patterns (about 280 kB of code). A function
 * loads it from a file of its own the first time a schema is in force (see schema-check.ts), so
 * it must share no class with the rest: it returns a refusal as text, never a domain error, which
 * would be another class than the one its callers test for.
 */
export type CompileOutcome =
  | { readonly check: ValidateFunction }
  | { readonly refusal: string; readonly cause: unknown };

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

/**
 * One compiler for the process: a new one would compile the 2020-12 meta-schema again each time
 * (about 100 ms). Schemas are not registered by their $id (addUsedSchema), so two with the same
 * $id never collide, and each is dropped from the compiler's cache once compiled (the caller's
 * cache keeps the validator).
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

/**
 * Compiles a parsed JSON Schema (draft 2020-12), or says in words why it cannot be used.
 * Nothing is ever fetched: a `$ref` must resolve inside the schema itself.
 */
export function compileJsonSchema(schema: object | boolean): CompileOutcome {
  try {
    return { check: ajv.compile(schema) };
  } catch (error) {
    return { refusal: reasonRefused(error), cause: error };
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
