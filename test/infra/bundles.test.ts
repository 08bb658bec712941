import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalog } from '../../infra/cdk/function-catalog.ts';
import { synthesize } from './support/synth.ts';
import { functionLogicalId, resourceProperties } from './support/template-queries.ts';

/** The project's budget for one function's minified bundle. */
const budgetBytes = 200 * 1024;

// Inside the repository (cdk.out is ignored by git), so that the bundles' imports of the AWS
// SDK, which the Lambda runtime provides, resolve to node_modules when loaded here.
mkdirSync('cdk.out', { recursive: true });
const outdir = mkdtempSync(join('cdk.out', 'bundles-test-'));

interface Bundle {
  readonly name: FunctionName;
  readonly path: string;
  readonly bytes: number;
  readonly environment: Record<string, unknown>;
}

let bundles: Bundle[] = [];

beforeAll(() => {
  const { stack, template } = synthesize({ bundle: true, outdir });
  bundles = stack.functions.entries().map(([name]) => {
    const properties = resourceProperties(template, functionLogicalId(stack, name));
    const key = (properties.Code as { S3Key: string }).S3Key;
    const path = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
    const { Variables } = properties.Environment as { Variables: Record<string, unknown> };
    return { name, path, bytes: statSync(path).size, environment: Variables };
  });
  console.info(
    bundles.map((bundle) => `${bundle.name}: ${(bundle.bytes / 1024).toFixed(1)} KB`).join('\n'),
  );
}, 180_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

/**
 * Loads a bundle in a plain Node.js process, as the Lambda runtime would, with exactly the given
 * variables (table names are deploy-time references; any name does here).
 */
function loadWith(bundle: Bundle, environment: Record<string, unknown>) {
  const variables = Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : `${name.toLowerCase()}-deployed`,
    ]),
  );
  const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle.path).href)});
    if (typeof m.handler !== 'function') throw new Error('no handler export');`;
  return spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
    env: { PATH: process.env.PATH, ...variables },
    encoding: 'utf8',
  });
}

describe('Bundling: every function, with esbuild for real', () => {
  it('builds one minified ES module with a source map per function', () => {
    // Assess
    expect(bundles).toHaveLength(Object.keys(functionCatalog).length);
    for (const bundle of bundles) {
      const code = readFileSync(bundle.path, 'utf8');
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(statSync(`${bundle.path}.map`).size).toBeGreaterThan(0);
      // Minified: a few very long lines, where readable code averages a few dozen characters.
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('loads every bundle with exactly the environment the stack gives it', () => {
    for (const bundle of bundles) {
      // Act
      const result = loadWith(bundle, bundle.environment);

      // Assess
      expect(result.status, `${bundle.name}: ${result.stderr}`).toBe(0);
    }
  });

  it('fails to load a bundle when a table variable it needs is missing', () => {
    // Prepare
    const putConfig = bundles.find((bundle) => bundle.name === 'put-config');
    if (!putConfig) throw new Error('No put-config bundle.');
    const { LOG_TABLE_NAME: _, ...withoutTable } = putConfig.environment;

    // Act
    const result = loadWith(putConfig, withoutTable);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Environment variable LOG_TABLE_NAME is not set/);
  });

  // `import { z } from 'zod'` would keep all of zod's locales (about 370 KB) in every bundle;
  // functions/ imports it as a namespace so that esbuild can drop them.
  it('keeps every bundle within the 200 KB budget', () => {
    // Assess
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles)
      expect(bundle.bytes, bundle.name).toBeLessThanOrEqual(budgetBytes);
  });
});
