import fc from 'fast-check';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { type JsonValue, parseJson } from '#domain/json.ts';
import { diffJson } from '#domain/json-patch.ts';

/** Applies a patch with an independent RFC 6902 implementation. */
function apply(document: unknown, patch: ReturnType<typeof diffJson>) {
  return jsonPatch.applyPatch(structuredClone(document), patch as Operation[], true, false, false)
    .newDocument;
}

/**
 * Random JSON, without `__proto__` keys: the reference applier sets them with plain
 * assignment, which changes an object's prototype instead of adding a member.
 */
const plainJson = fc.jsonValue().filter((value) => !JSON.stringify(value).includes('"__proto__"'));

describe('Function: diffJson', () => {
  it('is empty for equal documents, including numbers written alike', () => {
    expect(diffJson(parseJson('{"a":[1,{"b":null}]}'), parseJson('{"a":[1,{"b":null}]}'))).toEqual(
      [],
    );
    expect(diffJson(parseJson('12345678901234567890'), parseJson('12345678901234567890'))).toEqual(
      [],
    );
  });

  it('replaces, adds and removes object members, escaping ~ and / in paths', () => {
    const patch = diffJson(
      { keep: 1, change: 'a', gone: true, 'a/b': 1 },
      { keep: 1, change: 'b', 'a/b': 2, 'new~key': [] },
    );
    expect(patch).toEqual([
      { op: 'remove', path: '/gone' },
      { op: 'replace', path: '/change', value: 'b' },
      { op: 'replace', path: '/a~1b', value: 2 },
      { op: 'add', path: '/new~0key', value: [] },
    ]);
  });

  it('grows and shrinks arrays at the end, removing from the back', () => {
    expect(diffJson([1, 2, 3, 4], [1, 9])).toEqual([
      { op: 'replace', path: '/1', value: 9 },
      { op: 'remove', path: '/3' },
      { op: 'remove', path: '/2' },
    ]);
    expect(diffJson([1], [1, 2, 3])).toEqual([
      { op: 'add', path: '/1', value: 2 },
      { op: 'add', path: '/2', value: 3 },
    ]);
  });

  it('adds or removes the whole document when the entry did not exist on one side', () => {
    expect(diffJson(undefined, { a: 1 })).toEqual([{ op: 'add', path: '', value: { a: 1 } }]);
    expect(diffJson({ a: 1 }, undefined)).toEqual([{ op: 'remove', path: '' }]);
    expect(diffJson(undefined, undefined)).toEqual([]);
  });

  it('tells big numbers apart by their digits, not by their rounded value', () => {
    const patch = diffJson(parseJson('12345678901234567890'), parseJson('12345678901234567891'));
    expect(patch).toHaveLength(1);
    expect(String(patch[0]?.value)).toBe('12345678901234567891');
  });

  it('always produces a patch that turns the first document into the second', () => {
    fc.assert(
      fc.property(plainJson, plainJson, (from, to) => {
        const patch = diffJson(from as JsonValue, to as JsonValue);
        expect(apply(from, patch)).toEqual(to);
      }),
      { numRuns: 500 },
    );
  });
});
