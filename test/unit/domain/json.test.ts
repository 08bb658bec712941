import { describe, expect, it } from 'vitest';
import { InvalidJsonError } from '#domain/errors.ts';
import { parseJson, RawJson, serializeJson, toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';

const roundTrip = (text: string) => toJsonText(parseJson(text));

describe('Module: json', () => {
  describe('Function: parseJson + toJsonText', () => {
    it.each([
      ['a big integer beyond 2^53', '12345678901234567890123'],
      ['a negative big integer', '-98765432109876543210'],
      ['a float', '0.1'],
      ['a float written with a trailing zero', '1.0'],
      ['negative zero', '-0'],
      ['an exponent beyond a double', '1e400'],
      ['a tiny exponent', '5e-324'],
      ['an empty string', '""'],
      ['an empty object', '{}'],
      ['an empty array', '[]'],
      ['null', 'null'],
      ['booleans', '[true,false]'],
      ['unicode and emoji', '"héllo wörld 😀 𝄞 中文"'],
      ['escaped control characters', '"line\\nbreak\\ttab\\u0000nul"'],
      ['numbers inside structures', '{"a":[1.50,2e10,{"b":18446744073709551616}]}'],
      ['keys that look special', '{"__proto__":{"constructor":1},"":0}'],
    ])('round-trips %s exactly', (_, text) => {
      expect(roundTrip(text)).toBe(text);
    });

    it('round-trips nesting far deeper than DynamoDB maps allow (32 levels)', () => {
      const deep = `${'{"a":['.repeat(400)}1${']}'.repeat(400)}`;
      expect(roundTrip(deep)).toBe(deep);
    });

    it(`accepts nesting of exactly ${limits.valueMaxDepth} levels and refuses one more`, () => {
      const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      expect(roundTrip(nested(limits.valueMaxDepth))).toBe(nested(limits.valueMaxDepth));
      expect(() => parseJson(nested(limits.valueMaxDepth + 1))).toThrow(InvalidJsonError);
    });

    it('does not count brackets inside strings as nesting', () => {
      const text = JSON.stringify({ brackets: '['.repeat(5000) });
      expect(roundTrip(text)).toBe(text);
    });

    it('drops insignificant whitespace', () => {
      expect(roundTrip(' { "a" : [ 1 , 2 ] } ')).toBe('{"a":[1,2]}');
    });

    it.each([
      ['truncated JSON', '{"value": 1'],
      ['a trailing comma', '[1,2,]'],
      ['single quotes', "{'a':1}"],
      ['duplicate keys', '{"a":1,"a":2}'],
      ['NaN', 'NaN'],
      ['nothing', ''],
    ])('refuses %s', (_, text) => {
      expect(() => parseJson(text)).toThrow(InvalidJsonError);
    });
  });

  describe('Function: serializeJson', () => {
    it('splices RawJson verbatim', () => {
      const body = { name: 'x', value: new RawJson(toJsonText(parseJson('1.0'))) };
      expect(serializeJson(body)).toBe('{"name":"x","value":1.0}');
    });
  });
});
