import type { ErrorObject } from 'ajv';

type Params = Record<string, unknown>;
type Wording = (params: Params, error: ErrorObject) => string;

const list = (values: unknown): string =>
  Array.isArray(values) ? values.map((value) => JSON.stringify(value)).join(', ') : '';

const bound =
  (symbol: string): Wording =>
  (params) =>
    `must be ${symbol} ${String(params.limit)}`;

const count =
  (relation: string, unit: string): Wording =>
  (params) => {
    const limit = Number(params.limit);
    return `must have ${relation} ${limit} ${unit}${limit === 1 ? '' : 's'}`;
  };

/**
 * Ajv's keywords in plain words. Ajv's own messages are for developers (`must be <= 10`,
 * `must NOT have additional properties`); these say the same to whoever edits a configuration,
 * naming the property, value or pattern concerned.
 */
const wordings: Readonly<Record<string, Wording>> = {
  type: (params) => `must be ${article(String(params.type).replaceAll(',', ' or '))}`,
  required: (params) => `must have the property '${String(params.missingProperty)}'`,
  additionalProperties: (params) =>
    `must not have the property '${String(params.additionalProperty)}' (the schema allows no others)`,
  unevaluatedProperties: (params) =>
    `must not have the property '${String(params.unevaluatedProperty)}' (the schema allows no others)`,
  enum: (params) => `must be one of ${list(params.allowedValues)}`,
  const: (params) => `must be exactly ${JSON.stringify(params.allowedValue)}`,
  maximum: bound('≤'),
  minimum: bound('≥'),
  exclusiveMaximum: bound('<'),
  exclusiveMinimum: bound('>'),
  multipleOf: (params) => `must be a multiple of ${String(params.multipleOf)}`,
  maxLength: count('at most', 'character'),
  minLength: count('at least', 'character'),
  maxItems: count('at most', 'item'),
  minItems: count('at least', 'item'),
  maxProperties: count('at most', 'property'),
  minProperties: count('at least', 'property'),
  maxContains: count('at most', 'matching item'),
  minContains: count('at least', 'matching item'),
  uniqueItems: (params) =>
    `must not repeat items (items ${String(params.j)} and ${String(params.i)} are the same)`,
  pattern: (params) => `must match the pattern ${String(params.pattern)}`,
  propertyNames: (params) =>
    `has a property name '${String(params.propertyName)}' that is not allowed`,
  dependentRequired: (params) =>
    `must have the property '${String(params.missingProperty)}' when it has '${String(params.property)}'`,
  oneOf: () => 'must match exactly one of the alternatives the schema gives',
  anyOf: () => 'must match at least one of the alternatives the schema gives',
  not: () => 'must not match the schema given under "not"',
  contains: () => 'must contain an item the schema describes',
  if: (params) => `must match the "${String(params.failingKeyword)}" schema that applies here`,
  'false schema': () => 'is not allowed here (the schema is false)',
};

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'an object',
    array: 'an array',
    integer: 'an integer',
    null: 'null',
  };
  return words[type] ?? `a ${type}`;
}

export function describeViolation(error: ErrorObject): string {
  const wording = wordings[error.keyword];
  return wording ? wording(error.params as Params, error) : (error.message ?? error.keyword);
}
