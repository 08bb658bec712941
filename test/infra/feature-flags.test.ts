import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('cdk.json: feature flags', () => {
  it('sets every flag the installed aws-cdk-lib recommends, to the recommended value', () => {
    // Prepare
    const recommended = readJson(require.resolve('aws-cdk-lib/recommended-feature-flags.json'));
    const { context } = readJson(new URL('../../cdk.json', import.meta.url).pathname) as {
      context: Record<string, unknown>;
    };

    // Act
    const configured = Object.fromEntries(
      Object.keys(recommended).map((flag) => [flag, context[flag]]),
    );

    // Assess: after an aws-cdk-lib upgrade, copy the new flags in and review the template diff.
    expect(configured).toEqual(recommended);
  });
});
