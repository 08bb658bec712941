import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedTypes, typesFile } from '../../e2e/openapi-generate.ts';

describe('Module: openapi, as the types of its client', () => {
  it('has its generated types checked in as they are now: run `npm run openapi:types` if not', async () => {
    const checkedIn = await readFile(typesFile, 'utf8');

    const current = await generatedTypes();

    expect(
      checkedIn === current,
      'test/e2e/openapi-types.ts is stale: run npm run openapi:types',
    ).toBe(true);
  });
});
