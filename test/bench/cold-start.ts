import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { tableDefinitions } from '#store/tables.ts';
import { budget, type Figure, figure } from './report.ts';
import { median } from './stats.ts';

/**
 * Figure 9, the cold start proxy: each handler bundled as the CDK stack bundles it, the bundle's
 * size, and the time a fresh Node process takes to import it (what Lambda's init does before the
 * first request), next to the time the SDK clients alone take. The stack leaves the AWS SDK to
 * the runtime; here the bundles are written under node_modules/.cache so that their `@aws-sdk/*`
 * imports load the project's copy, as a function's load the runtime's.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const handlersDir = join(projectRoot, 'functions/handlers');
const cacheDir = join(projectRoot, 'node_modules/.cache');
const imports = 5;

/**
 * The esbuild options NodejsFunction derives from the bundling in infra/cdk/ledger-function.ts
 * (kept in step by hand): ES module, node22, minified, external source map, `@aws-sdk/*` left to
 * the runtime (bundleAwsSDK: false).
 */
const cdkOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: {
    js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: ['@aws-sdk/*'],
  logLevel: 'warning',
  absWorkingDir: projectRoot,
};

/** What the handlers need at load (every table's name variable among them); any value will do. */
const handlerEnvironment = {
  ...Object.fromEntries(
    tableDefinitions.map((table) => [table.tableNameVariable, table.defaultTableName]),
  ),
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'config-ledger',
  POWERTOOLS_METRICS_NAMESPACE: 'ConfigLedger',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const group = '9 cold start';

/** Handlers whose bundles also get an import timing with the SDK bundled in, for comparison. */
const sdkBundledSample = 'put-config';

export async function benchColdStart(): Promise<Figure[]> {
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'config-ledger-bench-'));
  try {
    const floors = await importFloors(outDir);
    const handlers = (await readdir(handlersDir))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    const rows: Figure[] = [...floors.rows];
    for (const handler of handlers) {
      rows.push(...(await handlerFigures(handler, outDir, floors.sdkFile)));
    }
    return rows;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * What any handler pays before its own code: an empty module, and one that only imports the SDK
 * clients the store uses (from node_modules, as a function loads the runtime's copy).
 */
async function importFloors(outDir: string) {
  const sources = {
    empty: 'export const handler = async () => ({});\n',
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'export const handler = async () => [DynamoDBClient, DynamoDBDocumentClient];',
      '',
    ].join('\n'),
  };
  const files: Record<string, string> = {};
  for (const [name, source] of Object.entries(sources)) {
    const entry = join(outDir, `${name}.ts`);
    await writeFile(entry, source);
    files[name] = (await bundle(entry, join(outDir, name))).file;
  }
  const sdkFile = files.sdk ?? '';
  const [emptyMs = 0, sdkMs = 0] = await importTimes([files.empty ?? '', sdkFile]);
  const rows = [
    figure(group, { label: 'import an empty handler', value: emptyMs, unit: 'ms' }),
    figure(
      group,
      { label: 'import the SDK clients alone (runtime copy)', value: sdkMs, unit: 'ms' },
      { label: 'empty handler', value: emptyMs, unit: 'ms' },
    ),
  ];
  return { rows, sdkFile };
}

async function handlerFigures(handler: string, outDir: string, sdkFile: string) {
  const entry = join(handlersDir, `${handler}.ts`);
  const asDeployed = await bundle(entry, join(outDir, handler));
  const sdkBundled = await bundle(entry, join(outDir, `${handler}-sdk-bundled`), {
    external: [],
  });
  const withBundledSdk = handler === sdkBundledSample;
  const [sdkMs = 0, importMs = 0, bundledMs = 0] = await importTimes([
    sdkFile,
    asDeployed.file,
    ...(withBundledSdk ? [sdkBundled.file] : []),
  ]);
  const sizeKb = asDeployed.bytes / 1000;
  const rows = [
    figure(
      group,
      { label: `bundle ${handler} (minified)`, value: sizeKb, unit: 'kB' },
      { label: 'with the SDK bundled in', value: sdkBundled.bytes / 1000, unit: 'kB' },
      budget.atMost(sizeKb, 200, 'kB'),
    ),
    figure(
      group,
      { label: `import ${handler}, median of ${imports}`, value: importMs, unit: 'ms' },
      { label: 'SDK clients alone', value: sdkMs, unit: 'ms' },
      budget.atMost(importMs, 100, 'ms'),
    ),
  ];
  if (withBundledSdk) {
    rows.push(
      figure(
        group,
        { label: `import ${handler}, SDK bundled in`, value: bundledMs, unit: 'ms' },
        { label: 'as deployed', value: importMs, unit: 'ms' },
      ),
    );
  }
  return rows;
}

async function bundle(entry: string, dir: string, overrides: BuildOptions = {}) {
  const file = join(dir, 'index.mjs');
  await build({ ...cdkOptions, ...overrides, entryPoints: [entry], outfile: file });
  return { file, bytes: (await stat(file)).size };
}

const run = promisify(execFile);

/**
 * Median import time of each bundle over fresh processes. The bundles take turns, so that a
 * figure and the one it is compared to see the same moments of a busy machine.
 */
async function importTimes(files: readonly string[]): Promise<number[]> {
  const times = files.map((): number[] => []);
  for (let attempt = 0; attempt < imports; attempt++) {
    for (const [index, file] of files.entries()) times[index]?.push(await importOnce(file));
  }
  return times.map(median);
}

const importScript =
  'const started = performance.now(); await import(process.env.BENCH_MODULE); ' +
  'process.stdout.write(String(performance.now() - started));';

async function importOnce(file: string): Promise<number> {
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', importScript], {
      env: {
        PATH: process.env.PATH,
        ...handlerEnvironment,
        BENCH_MODULE: pathToFileURL(file).href,
      },
    });
    return Number(stdout);
  } catch (error) {
    // The error's own text would quote a line of minified bundle; its last line says what failed.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason =
      stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? stderr.slice(-500);
    throw new Error(`Importing ${file} failed: ${reason}`);
  }
}
