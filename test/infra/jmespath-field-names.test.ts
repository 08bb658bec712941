import { search as jmespathSearch } from '@aws-lambda-powertools/jmespath';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { search } from '../../infra/cdk/jmespath-field-names.ts';

const fieldName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
// Powertools' parser caches expressions in a plain object, so it fails on these names itself.
const comparableFieldName = fieldName.filter((name) => !(name in Object.prototype));

/** What withIdempotency hands Powertools, and other JSON the same evaluator could meet. */
const data = fc.oneof(
  fc.record({
    scope: fc.string(),
    fingerprint: fc.record({ body: fc.string(), ifMatch: fc.string(), ifNoneMatch: fc.string() }),
  }),
  fc.dictionary(fieldName, fc.jsonValue()),
  fc.jsonValue(),
);

describe("Module: jmespath-field-names, the bundles' stand-in for Powertools' JMESPath", () => {
  it('answers a field name as JMESPath does, on any JSON', () => {
    fc.assert(
      fc.property(comparableFieldName, data, (name, json) => {
        expect(search(name, json)).toStrictEqual(jmespathSearch(name, json as never));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers the two paths idempotency uses with their values', () => {
    const call = { scope: 'alice PUT /config/a key-1', fingerprint: { body: '{}' } };
    expect(search('scope', call)).toBe(call.scope);
    expect(search('fingerprint', call)).toBe(call.fingerprint);
  });

  it('answers null for a name the object lacks or inherits', () => {
    expect(search('missing', { scope: 'x' })).toBeNull();
    expect(search('constructor', {})).toBeNull();
    expect(search('toString', {})).toBeNull();
  });

  it('refuses any expression that is not a field name, rather than evaluate part of it', () => {
    for (const expression of ['a.b', 'powertools_json(body)', '[0]', '"quoted"', '*', '', 'a b']) {
      expect(() => search(expression, { a: { b: 1 } }), expression).toThrow(/not a field name/);
    }
  });
});
