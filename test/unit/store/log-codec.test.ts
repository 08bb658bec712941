import { describe, expect, it } from 'vitest';
import { fromLogItem } from '#store/log-codec.ts';

// No classic zod in this file's imports, which would set the English messages by itself: the
// functions' own module graph, as a bundle holds it.

describe('Function: fromLogItem', () => {
  it('says in English what a corrupt item holds, for the operator who reads the error', () => {
    // Act
    const act = () => fromLogItem({ revision: 'three' });

    // Assess
    expect(act).toThrow('Log item at revision three is malformed');
    expect(act).toThrow('Invalid input: expected number, received string');
  });
});
