/**
 * Stands in for `@aws-lambda-powertools/jmespath` and its `/functions` in the functions' bundles
 * (esbuild aliases, see `functionBundling`). Powertools' idempotency evaluates the paths to a
 * request's key and to what a retry must repeat with JMESPath, and ours are two field names
 * (http/idempotency.ts). The whole language, a lexer, a parser, an interpreter and Powertools'
 * own functions (24 kB), took about 9 ms of each write function's cold start (figure 9) to answer
 * `data[name]`. Any other expression is refused, never half evaluated.
 */
const fieldName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** JMESPath's answer to an unquoted identifier: the field's value, or null where there is none. */
export function search(expression: string, data: unknown): unknown {
  if (!fieldName.test(expression)) {
    throw new Error(
      `JMESPath expression "${expression}" is not a field name, the only kind config-ledger's functions bundle an evaluator for (infra/cdk/jmespath-field-names.ts).`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  return Object.hasOwn(data, expression)
    ? ((data as Record<string, unknown>)[expression] ?? null)
    : null;
}

/** Powertools' JMESPath functions, which a field name never calls. */
export class PowertoolsFunctions {}
