import { describe, expect, it } from 'vitest';
import { apiErrorCodes } from '#client/errors.ts';
import { statusByCode } from '#http/error-response.ts';

describe('Module: client errors', () => {
  it('knows every code the API answers with, and no other', () => {
    expect([...apiErrorCodes].sort()).toEqual(
      [...Object.keys(statusByCode), 'internal_error'].sort(),
    );
  });
});
