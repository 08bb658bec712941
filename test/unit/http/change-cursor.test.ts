import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import { changesStart, decodeChangeCursor, encodeChangeCursor } from '#http/change-cursor.ts';
import { encodePageToken } from '#http/page-token.ts';

const position = '2026-02-12T10:00:00.000Z#payments.checkout.timeout_ms#000000000003';

/** The cursor with one character of its payload changed. */
function edited(cursor: string): string {
  const [payload = '', checksum] = cursor.split('.');
  const flipped = payload.slice(0, 5) + (payload[5] === 'A' ? 'B' : 'A') + payload.slice(6);
  return `${flipped}.${checksum}`;
}

describe('Module: change-cursor', () => {
  describe('Method: encodeChangeCursor / decodeChangeCursor', () => {
    it('round-trips a feed position', () => {
      // Act
      const cursor = encodeChangeCursor(position);

      // Assess
      expect(cursor).not.toContain(position);
      expect(decodeChangeCursor(cursor)).toBe(position);
    });

    it('round-trips the start of the feed', () => {
      // Act
      const cursor = encodeChangeCursor(undefined);

      // Assess
      expect(decodeChangeCursor(cursor)).toBeUndefined();
    });

    it.each([
      ['an edited payload', edited(encodeChangeCursor(position))],
      ['a missing checksum', encodeChangeCursor(position).split('.')[0] ?? ''],
      ['an extra part', `${encodeChangeCursor(position)}.x`],
      ['garbage', 'not-a-cursor'],
      ['the empty string', ''],
    ])('throws a ValidationError naming `after` for %s', (_, cursor) => {
      // Act & Assess
      expect(() => decodeChangeCursor(cursor)).toThrow(ValidationError);
      expect(() => decodeChangeCursor(cursor)).toThrow(/^Invalid after:/);
    });

    it('throws when given the page token of another query', () => {
      // Prepare
      const historyToken = encodePageToken('history:payments.checkout.timeout_ms', 3);

      // Act & Assess
      expect(() => decodeChangeCursor(historyToken)).toThrow(/different query/);
    });

    it('throws when a well-formed token of its scope holds a number, not a position', () => {
      // Prepare
      const forged = encodePageToken('changes', 3);

      // Act & Assess
      expect(() => decodeChangeCursor(forged)).toThrow(ValidationError);
    });
  });

  describe('Method: changesStart', () => {
    it('starts at the beginning with neither after nor since', () => {
      expect(changesStart({})).toEqual({ after: undefined });
    });

    it('starts after the position a cursor holds', () => {
      expect(changesStart({ after: encodeChangeCursor(position) })).toEqual({ after: position });
    });

    it('starts at since as a stored instant, sub-milliseconds rounded up', () => {
      expect(changesStart({ since: '2026-02-12T11:00:00.1231+01:00' })).toEqual({
        since: '2026-02-12T10:00:00.124Z',
      });
    });

    it('throws a ValidationError for a since that is not an instant', () => {
      expect(() => changesStart({ since: '2026-02-12' })).toThrow(ValidationError);
    });
  });
});
