import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from '#domain/json-schema-compiler.ts';
import { limits } from '#domain/limits.ts';
import { InvalidSchemaError } from '#domain/schema-errors.ts';
import { schemaEntriesCovering, targetCovers, targetsCovering } from '#domain/schema-target.ts';
import { compileSchema as compileWith, violationsOf } from '#domain/schema-validation.ts';

const compileSchema = (schemaText: string) => compileWith(schemaText, compileJsonSchema);
const check = (schema: unknown, value: unknown) =>
  violationsOf(compileSchema(JSON.stringify(schema)), JSON.stringify(value), 'payments.@1');

describe('Module: schema-target', () => {
  it('lists every prefix ending in . or : and then the name itself', () => {
    expect(targetsCovering('payments.checkout:eu.timeout_ms')).toEqual([
      'payments.',
      'payments.checkout:',
      'payments.checkout:eu.',
      'payments.checkout:eu.timeout_ms',
    ]);
    expect(targetsCovering('flat')).toEqual(['flat']);
  });

  it('covers a name with a prefix target or with its own name, never a sibling', () => {
    expect(targetCovers('payments.', 'payments.retries')).toBe(true);
    expect(targetCovers('payments.retries', 'payments.retries')).toBe(true);
    expect(targetCovers('payments', 'payments.retries')).toBe(false);
    expect(targetCovers('payments.retries', 'payments.retries_max')).toBe(false);
  });

  it('reads no schemas for a schema entry itself', () => {
    expect(schemaEntriesCovering(['~schema/payments.'])).toEqual([]);
    expect(schemaEntriesCovering(['a.b', 'a.c'])).toEqual([
      '~schema/a.',
      '~schema/a.b',
      '~schema/a.c',
    ]);
  });
});

describe('Module: schema-validation', () => {
  describe('Function: violationsOf', () => {
    it('accepts a value that satisfies the schema', () => {
      expect(check({ type: 'integer', maximum: 10 }, 7)).toEqual([]);
    });

    it('says each violation in words, with its JSON path and the schema it breaks', () => {
      // Prepare
      const schema = {
        type: 'object',
        required: ['timeoutMs'],
        properties: {
          timeoutMs: { type: 'integer', maximum: 10 },
          region: { enum: ['eu', 'us'] },
          tags: { type: 'array', maxItems: 1, items: { type: 'string', minLength: 2 } },
        },
        additionalProperties: false,
      };

      // Act
      const violations = check(schema, {
        timeoutMs: 11,
        region: 'ap',
        tags: ['x', 'yy'],
        extra: 1,
      });

      // Assess
      expect(violations).toEqual(
        expect.arrayContaining([
          { path: '/timeoutMs', message: 'must be ≤ 10', schema: 'payments.@1' },
          { path: '/region', message: 'must be one of "eu", "us"', schema: 'payments.@1' },
          { path: '/tags', message: 'must have at most 1 item', schema: 'payments.@1' },
          { path: '/tags/0', message: 'must have at least 2 characters', schema: 'payments.@1' },
          {
            path: '',
            message: "must not have the property 'extra' (the schema allows no others)",
            schema: 'payments.@1',
          },
        ]),
      );
      expect(check(schema, {})).toEqual([
        { path: '', message: "must have the property 'timeoutMs'", schema: 'payments.@1' },
      ]);
      expect(check({ type: 'string' }, 3)[0]?.message).toBe('must be a string');
    });

    it(`reports at most ${limits.violationsMax} violations of one value`, () => {
      const value = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'x']));
      expect(check({ additionalProperties: { type: 'integer' } }, value)).toHaveLength(
        limits.violationsMax,
      );
    });
  });

  describe('Function: compileSchema', () => {
    it('refuses what is not JSON Schema 2020-12, and unknown keywords (a typo checks nothing)', () => {
      expect(() => compileSchema('{"type":"strin"}')).toThrow(InvalidSchemaError);
      expect(() => compileSchema('{"maxLenght":3}')).toThrow(/unknown keyword/);
      expect(() => compileSchema('"a string"')).toThrow(/object \(or true \/ false\)/);
    });

    it('refuses a $ref to anything outside the schema: nothing is ever fetched', () => {
      expect(() => compileSchema('{"$ref":"https://example.com/schema.json"}')).toThrow(
        /resolved only inside the schema itself/,
      );
      expect(() =>
        compileSchema('{"$defs":{"n":{"type":"integer"}},"$ref":"#/$defs/n"}'),
      ).not.toThrow();
    });

    it(`refuses a schema over ${limits.schemaMaxBytes} bytes or nested over ${limits.schemaMaxDepth} levels`, () => {
      const large = JSON.stringify({ description: 'x'.repeat(limits.schemaMaxBytes) });
      expect(() => compileSchema(large)).toThrow(/bytes as JSON; the limit is 65536/);
      const deep = `${'{"items":'.repeat(70)}{}${'}'.repeat(70)}`;
      expect(() => compileSchema(deep)).toThrow(/nests more than 64 levels/);
    });

    it('runs patterns in linear time: a catastrophic-backtracking pattern answers at once', () => {
      // Prepare: ^(a+)+$ takes exponential time on JavaScript's engine for "aaa…a!".
      const compiled = compileSchema(JSON.stringify({ type: 'string', pattern: '^(a+)+$' }));
      const hostile = JSON.stringify(`${'a'.repeat(50_000)}!`);

      // Act
      const startedAt = performance.now();
      const violations = violationsOf(compiled, hostile, 'x@1');
      const elapsedMs = performance.now() - startedAt;

      // Assess
      expect(violations).toEqual([
        { path: '', message: 'must match the pattern ^(a+)+$', schema: 'x@1' },
      ]);
      expect(elapsedMs).toBeLessThan(1000);
    });

    it('refuses patterns that need backtracking (lookaround, backreferences)', () => {
      expect(() => compileSchema('{"pattern":"^(?=a)"}')).toThrow(/linear-time regular expression/);
      expect(() => compileSchema('{"patternProperties":{"(a)\\\\1":{}}}')).toThrow(
        /linear-time regular expression/,
      );
    });

    it('compiles each schema once: the same text gives the same validator', () => {
      const text = '{"type":"boolean"}';
      expect(compileSchema(text)).toBe(compileSchema(text));
    });

    it(`compiles a schema of 100 patterned properties within ${limits.schemaCompileMaxMs} ms`, () => {
      // Prepare: many properties, each with a pattern and bounds.
      const properties = Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [
          `p${i}`,
          { type: 'string', pattern: `^v${i}-[a-z]+$`, maxLength: 40 },
        ]),
      );
      const text = JSON.stringify({ type: 'object', properties });
      expect(text.length).toBeLessThan(limits.schemaMaxBytes);

      // Act
      const compiled = compileSchema(text);

      // Assess
      expect(compiled.compileMs).toBeLessThan(limits.schemaCompileMaxMs);
    });
  });
});
