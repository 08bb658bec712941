import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  documentFile,
  generatedDocument,
  generatedTypes,
  typesFile,
} from '../../e2e/openapi-generate.ts';

describe('Module: openapi, as generated and checked in', () => {
  it('has the document GET /openapi.json serves checked in as the code builds it: run `npm run openapi:generate` if not', async () => {
    const checkedIn = await readFile(documentFile, 'utf8');

    const current = generatedDocument();

    expect(
      checkedIn === current,
      'functions/http/openapi-document.json is stale: run npm run openapi:generate',
    ).toBe(true);
  });

  it('has its generated types checked in as they are now: run `npm run openapi:generate` if not', async () => {
    const checkedIn = await readFile(typesFile, 'utf8');

    const current = await generatedTypes();

    expect(
      checkedIn === current,
      'test/e2e/openapi-types.ts is stale: run npm run openapi:generate',
    ).toBe(true);
  });
});
