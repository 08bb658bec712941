import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, type RequestParts } from '#test/api-events.ts';
import { createTestTables } from '#test/stores.ts';
import { type FunctionName, functionCatalog } from '../../infra/cdk/function-catalog.ts';
import { lazyModules } from '../../infra/cdk/lazy-modules.ts';
import { synthesize } from './support/synth.ts';
import { functionLogicalId, resourceProperties } from './support/template-queries.ts';

// Outside the repository, where no node_modules folder is on the way up: a bundle loads there
// only if it carries every dependency (the AWS SDK among them), as in a function.
const outdir = mkdtempSync(join(tmpdir(), 'config-ledger-bundles-'));
// Inside it (cdk.out is ignored by git), so that a module importing the AWS SDK as the Lambda
// runtime provides it (the floor the imports are compared to) resolves it to node_modules.
mkdirSync('cdk.out', { recursive: true });
const floorDir = mkdtempSync(join('cdk.out', 'bundles-test-'));

/** A module for the Lambda runtime, and its function's environment. */
interface LambdaModule {
  readonly path: string;
  readonly environment: Record<string, unknown>;
}

interface Bundle extends LambdaModule {
  readonly name: FunctionName;
  readonly bytes: number;
}

let bundles: Bundle[] = [];

beforeAll(() => {
  const { stack, template } = synthesize({ bundle: true, outdir });
  bundles = stack.functions.entries().map(([name]) => {
    const properties = resourceProperties(template, functionLogicalId(stack, name));
    const key = (properties.Code as { S3Key: string }).S3Key;
    const path = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
    const { Variables } = properties.Environment as { Variables: Record<string, unknown> };
    return { name, path, bytes: statSync(path).size, environment: Variables };
  });
  console.info(
    bundles.map((bundle) => `${bundle.name}: ${(bundle.bytes / 1000).toFixed(1)} kB`).join('\n'),
  );
}, 180_000);

/** A stand-in for a value the deployment resolves: a URL where the variable holds one. */
function deployedValueOf(name: string): string {
  const placeholder = `${name.toLowerCase()}-deployed`;
  return name.endsWith('_URL')
    ? `https://${placeholder.replaceAll('_', '-')}.example`
    : placeholder;
}

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
});

/** A function's variables as a process takes them: a deploy-time reference gets a stand-in. */
function variablesOf(environment: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : deployedValueOf(name),
    ]),
  );
}

/**
 * Loads a bundle in a plain Node.js process, as the Lambda runtime would, with exactly the given
 * variables (table names and URLs are deploy-time references; any name or URL does here).
 */
function loadWith(module: LambdaModule, environment: Record<string, unknown>) {
  const variables = variablesOf(environment);
  const script = `import { createRequire } from 'node:module';
    const requireModule = createRequire(import.meta.url);
    const started = performance.now();
    const m = ${loadExpression(module.path)};
    if (typeof m.handler !== 'function') throw new Error('no handler export');
    process.stdout.write(String(performance.now() - started));`;
  return spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
    // AWS_REGION is the runtime's own, set in every Lambda function whatever the stack says.
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...variables },
    encoding: 'utf8',
  });
}

/** How the Lambda runtime loads a handler's file: `import` for an ES module, else `require`. */
function loadExpression(path: string): string {
  return path.endsWith('.mjs')
    ? `await import(${JSON.stringify(pathToFileURL(path).href)})`
    : `requireModule(${JSON.stringify(path)})`;
}

/** Milliseconds a fresh process took to import the module. */
function importMs(module: LambdaModule): number {
  const result = loadWith(module, module.environment);
  if (result.status !== 0) throw new Error(`Importing ${module.path} failed: ${result.stderr}`);
  return Number(result.stdout);
}

describe('Bundling: every function, with esbuild for real', () => {
  it('builds one minified CommonJS file with a source map per function', () => {
    // Assess
    expect(bundles).toHaveLength(Object.keys(functionCatalog).length);
    for (const bundle of bundles) {
      const code = readFileSync(bundle.path, 'utf8');
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
      expect(statSync(`${bundle.path}.map`).size).toBeGreaterThan(0);
      // Minified: a few very long lines, where readable code averages a few dozen characters.
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('loads every bundle, with no node_modules around, and exactly the environment the stack gives it', () => {
    for (const bundle of bundles) {
      // Act
      const result = loadWith(bundle, bundle.environment);

      // Assess
      expect(result.status, `${bundle.name}: ${result.stderr}`).toBe(0);
    }
  }, 120_000);

  it("keeps out of a handler's bundle the input schemas it never reads", () => {
    // Prepare: a message only the changeset body's schema carries.
    const changesetSchemaMessage = 'At least one operation.';

    // Assess
    expect(codeOf('apply-changeset')).toContain(changesetSchemaMessage);
    expect(codeOf('get-config')).not.toContain(changesetSchemaMessage);
  });

  it('leaves the JSON Schema compiler to a file of its own, which the asset leads its import to', () => {
    // Prepare: the writes meet schemas, the reads never do.
    const [compiler] = lazyModules;
    if (!compiler) throw new Error('No lazy module.');
    const assetOf = (name: FunctionName) => ({
      dir: dirname(bundleNamed(name).path),
      code: codeOf(name),
    });
    const putConfig = assetOf('put-config');
    const getConfig = assetOf('get-config');
    // As the bundle imports it: from a module of the asset's own package.
    const script = `const { compileJsonSchema } = await import(${JSON.stringify(compiler.specifier)});
      const { check } = compileJsonSchema({ type: 'string', pattern: '^[a-z]+$' });
      process.stdout.write(JSON.stringify([check('abc'), check('ABC')]));`;

    // Act
    const result = spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: putConfig.dir,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });

    // Assess
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([true, false]);
    expect(putConfig.code).toContain(compiler.specifier);
    expect(putConfig.code).not.toContain('linearTimeRegExp');
    expect(existsSync(join(getConfig.dir, compiler.file))).toBe(false);
    expect(getConfig.code).not.toContain(compiler.specifier);
  });

  it('serves requests from the bundles: a schema attached by one refuses, in another, a value that breaks it', async () => {
    // Prepare: the test's tables, and a prefix of this test's own.
    await createTestTables();
    const prefix = `bundles.${randomUUID().slice(0, 8)}.`;
    const name = `${prefix}retries`;
    const schemaCall = call('put-schema', {
      method: 'PUT',
      routeKey: 'PUT /schemas/{target}',
      rawPath: `/schemas/${prefix}`,
      pathParameters: { target: prefix },
      body: JSON.stringify({ schema: { type: 'integer', maximum: 10 } }),
    });
    const put = (value: number) => putConfigCall(name, value);
    const get = call('get-config', {
      method: 'GET',
      routeKey: 'GET /config/{name}',
      rawPath: `/config/${name}`,
      pathParameters: { name },
      queryStringParameters: { consistent: 'true' },
    });

    // Act
    const [attached, refused, stored, read] = invokeInOneProcess([
      schemaCall,
      put(11),
      put(7),
      get,
    ]);

    // Assess: the refusal comes from the compiler's own file, as the domain error it maps.
    expect(attached?.statusCode).toBe(201);
    expect(refused).toMatchObject({ statusCode: 422, body: { error: 'schema_violation' } });
    expect(stored?.statusCode).toBe(201);
    expect(read).toMatchObject({ statusCode: 200, body: { name, value: 7 } });
  }, 60_000);

  it('answers a retried keyed write from its record, and refuses the key on another request, with JMESPath left out', async () => {
    // Prepare
    await createTestTables();
    const name = `bundles.${randomUUID().slice(0, 8)}.keyed`;
    const put = (value: number) => putConfigCall(name, value, { 'idempotency-key': `key-${name}` });

    // Act
    const [first, retried, reused] = invokeInOneProcess([put(1), put(1), put(2)]);

    // Assess
    expect(first?.statusCode).toBe(201);
    expect(first?.headers).not.toHaveProperty('idempotency-replayed');
    expect(retried).toMatchObject({
      statusCode: 201,
      headers: { 'idempotency-replayed': 'true' },
      body: first?.body,
    });
    expect(reused).toMatchObject({ statusCode: 422, body: { error: 'idempotency_key_reused' } });
    const code = codeOf('put-config');
    expect(code).toContain('is not a field name');
    expect(code).not.toContain('Invalid jmespath expression');
  }, 60_000);

  it("leaves the AWS SDK's event streams out of every bundle: DynamoDB has none", () => {
    for (const bundle of bundles) {
      const code = readFileSync(bundle.path, 'utf8');
      if (!code.includes('@aws-sdk')) continue;
      expect(code, bundle.name).toContain("which config-ledger's functions leave out");
      expect(code, bundle.name).not.toContain('EventStreamCodec');
    }
  });

  it('fails to load a bundle when a table variable it needs is missing', () => {
    // Prepare
    const putConfig = bundleNamed('put-config');
    const { LOG_TABLE_NAME: _, ...withoutTable } = putConfig.environment;

    // Act
    const result = loadWith(putConfig, withoutTable);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Environment variable LOG_TABLE_NAME is not set/);
  });

  // The budget is the import, which Lambda's init does and bills, not the size: the bench holds
  // it on Node.js 22 (each import ≤ 100 ms and ≤ 0.6× the SDK clients alone). Here, with other
  // test files running at once, single imports vary too much to hold a bundle to it: together,
  // the bundles must import in at most 0.8× the time of as many imports of the runtime's
  // DynamoDB clients alone, each taking turns with one.
  it('imports the bundles in less time than the DynamoDB clients of the Lambda runtime alone', () => {
    // Prepare
    const floor = sdkClientsAlone();

    // Act
    const figures = bundles.map((bundle) => ({
      name: bundle.name,
      importMs: importMs(bundle),
      floorMs: importMs(floor),
    }));

    // Assess
    const total = (key: 'importMs' | 'floorMs') =>
      figures.reduce((sum, each) => sum + each[key], 0);
    console.info(
      [
        ...figures.map(
          (each) =>
            `${each.name}: import ${each.importMs.toFixed(0)} ms, SDK clients alone ${each.floorMs.toFixed(0)} ms`,
        ),
        `ratio of the totals: ${(total('importMs') / total('floorMs')).toFixed(2)}`,
      ].join('\n'),
    );
    expect(total('importMs')).toBeLessThanOrEqual(0.8 * total('floorMs'));
  }, 300_000);
});

/** A handler's bundle and the event to invoke it with. */
interface BundleCall {
  readonly bundle: Bundle;
  readonly event: APIGatewayProxyEventV2;
}

function bundleNamed(name: FunctionName): Bundle {
  const bundle = bundles.find((each) => each.name === name);
  if (!bundle) throw new Error(`No ${name} bundle.`);
  return bundle;
}

function codeOf(name: FunctionName): string {
  return readFileSync(bundleNamed(name).path, 'utf8');
}

function call(name: FunctionName, request: RequestParts): BundleCall {
  return { bundle: bundleNamed(name), event: apiEvent(request) };
}

/** PUT /config/{name} of `value`, through put-config's bundle. */
function putConfigCall(name: string, value: unknown, headers?: Record<string, string>) {
  return call('put-config', {
    method: 'PUT',
    routeKey: 'PUT /config/{name}',
    rawPath: `/config/${name}`,
    pathParameters: { name },
    headers,
    body: JSON.stringify({ value }),
  });
}

/**
 * Invokes bundles in turn in one plain Node.js process, each loaded as the runtime loads it, with
 * the variables its stack gives it set to this test file's tables and engine.
 */
function invokeInOneProcess(calls: readonly BundleCall[]) {
  const environment = variablesOf(
    Object.fromEntries(
      calls.flatMap(({ bundle }) =>
        Object.entries(bundle.environment).map(([variable, value]) => [
          variable,
          process.env[variable] ?? value,
        ]),
      ),
    ),
  );
  const script = `import { createRequire } from 'node:module';
    const requireModule = createRequire(import.meta.url);
    const context = { awsRequestId: 'bundles-test', getRemainingTimeInMillis: () => 10_000 };
    const results = [];
    for (const { path, event } of JSON.parse(process.env.BUNDLE_CALLS)) {
      const { statusCode, headers, body } = await requireModule(path).handler(event, context);
      results.push({ statusCode, headers, body: JSON.parse(body) });
    }
    process.stdout.write(JSON.stringify(results));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
    env: {
      PATH: process.env.PATH,
      ...engineVariables(),
      ...environment,
      BUNDLE_CALLS: JSON.stringify(
        calls.map(({ bundle, event }) => ({ path: bundle.path, event })),
      ),
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Invoking the bundles failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as {
    statusCode: number;
    headers: Record<string, string>;
    body: unknown;
  }[];
}

/** Where this test file's engine is, and the credentials a function finds in its environment. */
function engineVariables(): Record<string, string> {
  const names = [
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ];
  return Object.fromEntries(names.map((variable) => [variable, process.env[variable] ?? '']));
}

/** A module that imports the DynamoDB clients as the Lambda runtime provides them. */
function sdkClientsAlone(): LambdaModule {
  const path = resolve(floorDir, 'sdk-clients-alone.mjs');
  writeFileSync(
    path,
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'export const handler = async () => [DynamoDBClient, DynamoDBDocumentClient];',
      '',
    ].join('\n'),
  );
  return { path, environment: {} };
}
