import { describe, expect, it } from 'vitest';
import { nameParts } from '#console/name-text.tsx';

describe('Function: nameParts', () => {
  it('ends each piece after a separator, where a long name may wrap', () => {
    expect(nameParts('payments.eu-west-1.checkout:timeout_ms')).toEqual([
      'payments.',
      'eu-',
      'west-',
      '1.',
      'checkout:',
      'timeout_',
      'ms',
    ]);
  });

  it('keeps a name without separators whole', () => {
    expect(nameParts('flag')).toEqual(['flag']);
  });

  it('keeps separators in a row together, and loses no character', () => {
    const name = 'a..b__c-';
    expect(nameParts(name)).toEqual(['a..', 'b__', 'c-']);
    expect(nameParts(name).join('')).toBe(name);
  });
});
