import { describe, expect, it } from 'vitest';
import { InvalidJsonError } from '#domain/errors.ts';
import { UnsupportedMediaTypeError } from '#http/errors.ts';
import { readJsonBody, toHttpRequest } from '#http/request.ts';
import { apiEvent } from '#test/api-events.ts';

const binary = (bytes: number[] | Buffer, contentType?: string) =>
  apiEvent({
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });
/** `{"value":"…"}` around the given bytes. */
const jsonValueWith = (...bytes: number[]) =>
  Buffer.concat([Buffer.from('{"value":"'), Buffer.from(bytes), Buffer.from('"}')]);

describe('Function: toHttpRequest', () => {
  describe('a base64 (binary) body', () => {
    it('is decoded when it is UTF-8, multi-byte characters included', () => {
      const text = '{"value":"café ✓ 𝄞"}';
      const request = toHttpRequest(binary(Buffer.from(text), 'application/vnd.api+json'));
      expect(request.body).toBe(text);
    });

    it.each([
      ['Latin-1 é', jsonValueWith(0xe9)],
      ['an overlong slash (C0 AF)', jsonValueWith(0xc0, 0xaf)],
      ['an overlong NUL (E0 80 80)', jsonValueWith(0xe0, 0x80, 0x80)],
      ['a surrogate code point (ED A0 80)', jsonValueWith(0xed, 0xa0, 0x80)],
      ['a code point above U+10FFFF (F4 90 80 80)', jsonValueWith(0xf4, 0x90, 0x80, 0x80)],
      ['a lone continuation byte', jsonValueWith(0x80)],
      ['an invalid lead byte', jsonValueWith(0xff, 0xc3, 0xa9)],
    ])('is refused as invalid_json when it holds %s, naming the byte', (_, bytes) => {
      const act = () => toHttpRequest(binary(bytes, 'application/json'));
      expect(act).toThrow(InvalidJsonError);
      expect(act).toThrow('The body is not valid UTF-8 (byte offset 10)');
    });

    it('names the first bad byte, not a valid character before it', () => {
      const act = () => toHttpRequest(binary(jsonValueWith(0xc3, 0xa9, 0xc0, 0xaf)));
      expect(act).toThrow('The body is not valid UTF-8 (byte offset 12)');
    });

    it('is refused when a multi-byte sequence is cut short at its end', () => {
      const act = () => toHttpRequest(binary([0x7b, 0xe2, 0x82]));
      expect(act).toThrow('The body is not valid UTF-8 (byte offset 1)');
    });

    it('keeps a byte order mark, which JSON parsing then refuses', () => {
      const request = toHttpRequest(binary([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
      expect(request.body).toBe('\uFEFF{}');
    });
  });

  describe('a declared charset', () => {
    it.each([
      'application/json; charset=iso-8859-1',
      'application/json;charset=windows-1252',
      'application/json; charset="utf-16"',
      'text/plain; charset=latin1',
    ])('other than UTF-8 is refused with 415: %s', (contentType) => {
      const act = () => toHttpRequest(binary(jsonValueWith(0xe9), contentType));
      expect(act).toThrow(UnsupportedMediaTypeError);
      expect(act).toThrow(/send it as UTF-8/);
    });

    it.each([
      'application/json; charset=utf-8',
      'application/json; charset="UTF-8"',
      'Application/JSON;Charset=Utf-8',
    ])('of UTF-8 is accepted: %s', (contentType) => {
      const request = toHttpRequest(
        apiEvent({ body: '{"value":"é"}', headers: { 'content-type': contentType } }),
      );
      expect(readJsonBody(request)).toEqual({ value: 'é' });
    });
  });
});
