import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#domain/canonical-json.ts';

describe('Function: canonicalJson', () => {
  it('sorts object members by name and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -1.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":-1.5,"z":0}}',
    );
  });

  it('gives the same text whatever order the object was built in', () => {
    expect(canonicalJson({ name: 'a', version: 2 })).toBe(canonicalJson({ version: 2, name: 'a' }));
  });

  it('orders names by UTF-16 code units, as RFC 8785 asks', () => {
    // U+20AC (€) sorts after U+0080 and before U+D83D (the high surrogate of 😀).
    expect(canonicalJson({ '😀': 3, '€': 2, '\u0080': 1, a: 0 })).toBe(
      '{"a":0,"\u0080":1,"€":2,"😀":3}',
    );
  });

  it('writes numbers and escapes strings as ECMAScript does', () => {
    expect(canonicalJson([1e21, 0.1, -0, 1e-7, 'line\nbreak "quoted"'])).toBe(
      '[1e+21,0.1,0,1e-7,"line\\nbreak \\"quoted\\""]',
    );
  });

  it('leaves out members that are undefined', () => {
    expect(canonicalJson({ a: 1, comment: undefined })).toBe('{"a":1}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });
});
