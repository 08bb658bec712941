import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import { listQuerySchema, parseInput, putConfigBodySchema } from '#http/contract.ts';

// This file imports no classic zod, which would set the English messages by itself: it is the
// functions' own module graph, as a bundle holds it.

describe('Function: parseInput', () => {
  it("names each offending field with zod's English message and our own", () => {
    // Prepare
    const body = { value: 1, comment: 5, extra: true };

    // Act
    const act = () => parseInput(putConfigBodySchema, body, 'body');

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      'Invalid body: comment: Invalid input: expected string, received number; Unrecognized key: "extra"',
    );
  });

  it('lists the details a client reads, field by field', () => {
    // Act
    const act = () => parseInput(listQuerySchema, { limit: '0', at: 'x', revision: '1' }, 'query');

    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        details: [
          { field: 'limit', message: 'Must be at least 1.' },
          {
            field: undefined,
            message: 'Pass at (an instant) or revision, not both: a read shows one point.',
          },
        ],
      }),
    );
  });
});
