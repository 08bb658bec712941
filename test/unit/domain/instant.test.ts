import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import { nextCommitInstant, parseInstant, parseInstantRoundingUp } from '#domain/instant.ts';

describe('Function: parseInstant', () => {
  it.each([
    ['2026-02-12T10:00:00Z', '2026-02-12T10:00:00.000Z'],
    ['2026-02-12T10:00Z', '2026-02-12T10:00:00.000Z'],
    ['2026-02-12T10:00:00.5Z', '2026-02-12T10:00:00.500Z'],
    ['2026-02-12T10:00:00.123Z', '2026-02-12T10:00:00.123Z'],
    ['2026-02-12T10:00:00.123999Z', '2026-02-12T10:00:00.123Z'],
    ['2026-02-12T11:00:00+01:00', '2026-02-12T10:00:00.000Z'],
    ['2026-02-12T05:30:00-04:30', '2026-02-12T10:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(parseInstant(text)).toBe(instant);
  });

  it.each([
    ['no zone', '2026-02-12T10:00:00'],
    ['a date only', '2026-02-12'],
    ['epoch milliseconds', '1770890400000'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29T00:00:00Z'],
    ['hour 24', '2026-02-12T24:00:00Z'],
    ['second 60', '2026-02-12T10:00:60Z'],
    ['a space for the T', '2026-02-12 10:00:00Z'],
    ['words', 'yesterday'],
    ['an empty string', ''],
  ])('refuses %s', (_, text) => {
    expect(() => parseInstant(text)).toThrow(ValidationError);
  });

  it.each([
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s, an end of the years it stores, as %s', (text, instant) => {
    expect(parseInstant(text)).toBe(instant);
  });

  it.each([
    ['into year 10000', '9999-12-31T23:00:00-14:00'],
    ['into year -1', '0000-01-01T00:00:00+01:00'],
  ])('refuses an instant its zone carries %s, whose text would not sort by time', (_, text) => {
    expect(() => parseInstant(text)).toThrow(/outside the years 0000 to 9999/);
  });
});

describe('Function: parseInstantRoundingUp', () => {
  it.each([
    ['2026-02-12T10:00:00.1231Z', '2026-02-12T10:00:00.124Z'],
    ['2026-02-12T10:00:00.123000001Z', '2026-02-12T10:00:00.124Z'],
    ['2026-02-12T10:00:00.999999+01:00', '2026-02-12T09:00:01.000Z'],
  ])('rounds the sub-millisecond digits of %s up, to %s', (text, instant) => {
    expect(parseInstantRoundingUp(text)).toBe(instant);
  });

  it.each([
    ['2026-02-12T10:00:00.123000Z', '2026-02-12T10:00:00.123Z'],
    ['2026-02-12T10:00:00.5Z', '2026-02-12T10:00:00.500Z'],
    ['2026-02-12T11:00+01:00', '2026-02-12T10:00:00.000Z'],
  ])('reads %s, with nothing beyond the millisecond, as parseInstant does', (text, instant) => {
    expect(parseInstantRoundingUp(text)).toBe(instant);
  });

  it('refuses what parseInstant refuses, and a rounding past the last storable instant', () => {
    expect(() => parseInstantRoundingUp('2026-02-30T00:00:00Z')).toThrow(ValidationError);
    expect(() => parseInstantRoundingUp('9999-12-31T23:59:59.9991Z')).toThrow(
      /outside the years 0000 to 9999/,
    );
  });
});

describe('Function: nextCommitInstant', () => {
  it('is the clock reading for a first commit', () => {
    expect(nextCommitInstant(Date.parse('2026-02-12T10:00:00.000Z'), undefined)).toBe(
      '2026-02-12T10:00:00.000Z',
    );
  });

  it('uses the clock when it is ahead of the previous commit', () => {
    expect(
      nextCommitInstant(Date.parse('2026-02-12T10:00:00.500Z'), '2026-02-12T10:00:00.000Z'),
    ).toBe('2026-02-12T10:00:00.500Z');
  });

  it('is never before the previous commit, whatever the clock (skew between Lambdas)', () => {
    expect(nextCommitInstant(0, '2026-02-12T10:00:00.999Z')).toBe('2026-02-12T10:00:00.999Z');
  });
});
