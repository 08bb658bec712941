import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import type { FunctionName } from '../../infra/cdk/function-catalog.ts';
import { assetPackageJson, lazyModulesOf } from '../../infra/cdk/lazy-modules.ts';
import {
  bundlingFor,
  defaultMemorySizeMb,
  functionBundling,
} from '../../infra/cdk/ledger-function.ts';
import { lambdaNodeBinary } from './lambda-node.ts';
import { functionEnvironment, loadModule, memoryOf, runtimeNodeFlags } from './lambda-process.ts';
import { budget, type Figure, figure } from './report.ts';
import { median } from './stats.ts';

/**
 * Figure 9, the cold start proxy: each handler bundled as the CDK stack bundles it, its size, and
 * the time a fresh Node.js 22 process (the Lambda runtime's, started with the runtime's flags for
 * the function's memory) takes to load it after the built-ins the runtime itself loads first
 * (lambda-process.ts), which is what Lambda's init does before the first request: `require` for
 * a CommonJS bundle, `import` for an ES module, as the runtime does. Its floor is the import of
 * the DynamoDB clients alone as the runtime provides them; the figure before is the handler
 * bundled as deployed until issue 14 (an ES module, the SDK left to the runtime). The bundles are
 * written under node_modules/.cache so that an `@aws-sdk/*` import left out of a bundle loads the
 * project's copy, as the runtime's.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const handlersDir = join(projectRoot, 'functions/handlers');
const cacheDir = join(projectRoot, 'node_modules/.cache');
const imports = 7;
const group = '9 cold start';

/**
 * The esbuild options NodejsFunction derives from the stack's bundling options, as a stage
 * deploys by default: without tracing, so with the Tracer that is always off (the sample handler
 * is also timed with tracing on, see `choiceFigures`).
 */
const deployedOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: functionBundling.target,
  format: functionBundling.format,
  mainFields: [...functionBundling.mainFields],
  minify: functionBundling.minify,
  sourcemap: functionBundling.sourceMap,
  sourcesContent: functionBundling.sourcesContent,
  external: [
    ...(functionBundling.bundleAwsSDK ? [] : ['@aws-sdk/*']),
    ...functionBundling.externalModules,
  ],
  alias: aliasesOf(bundlingFor({ tracing: false }).esbuildArgs ?? {}),
  logLevel: 'warning',
  absWorkingDir: projectRoot,
};

/** esbuild's `--alias:from=to` arguments as its API takes them. */
function aliasesOf(
  args: Readonly<Record<string, string | boolean | readonly string[]>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(args).flatMap(([name, value]) =>
      name.startsWith('--alias:') && typeof value === 'string'
        ? [[name.slice('--alias:'.length), value]]
        : [],
    ),
  );
}

function withoutAlias(aliases: Record<string, string> | undefined, name: string) {
  return Object.fromEntries(Object.entries(aliases ?? {}).filter(([from]) => from !== name));
}

/** As deployed before issue 14: an ES module, the AWS SDK left to the runtime. */
const runtimeSdkOptions: BuildOptions = {
  ...deployedOptions,
  format: 'esm',
  banner: {
    js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
  },
  external: ['@aws-sdk/*'],
  alias: {},
};

/** The handler whose bundling alternatives and source map costs are measured. */
const sample = 'put-config';

export async function benchColdStart(): Promise<Figure[]> {
  await mkdir(cacheDir, { recursive: true });
  const outDir = await mkdtemp(join(cacheDir, 'config-ledger-bench-'));
  try {
    const node = await lambdaNodeBinary();
    const version = (await runNode(node, ['-p', 'process.version'], {})).trim();
    const floors = await importFloors(node, version, outDir);
    const rows: Figure[] = [...floors.rows];
    for (const handler of await handlerNames()) {
      rows.push(...(await handlerFigures(node, handler, outDir, floors.sdkFile)));
    }
    rows.push(...(await choiceFigures(node, outDir)), ...(await sourceMapFigures(node, outDir)));
    return rows;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function handlerNames(): Promise<string[]> {
  return (await readdir(handlersDir))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

/**
 * What any handler pays before its own code: an empty module, and one that only imports the SDK
 * clients the store uses (from node_modules, as a function loads the runtime's copy), as an ES
 * module did before issue 14 (the floor) and by `require` (for comparison).
 */
async function importFloors(node: string, version: string, outDir: string) {
  const sdkClients = [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    'export const handler = async () => [DynamoDBClient, DynamoDBDocumentClient];',
    '',
  ].join('\n');
  const empty = await floorModule(outDir, 'empty', 'export const handler = async () => ({});\n');
  const sdkFile = await floorModule(outDir, 'sdk', sdkClients);
  const sdkRequired = await floorModule(outDir, 'sdk-required', sdkClients, 'cjs');
  const [emptyMs = 0, sdkMs = 0, requiredMs = 0] = await importTimes(node, [
    { file: empty },
    { file: sdkFile },
    { file: sdkRequired },
  ]);
  const rows = [
    figure(group, {
      label: `import an empty handler (Node ${version})`,
      value: emptyMs,
      unit: 'ms',
    }),
    figure(
      group,
      { label: 'import the SDK clients alone (runtime copy)', value: sdkMs, unit: 'ms' },
      { label: 'empty handler', value: emptyMs, unit: 'ms' },
    ),
    figure(
      group,
      { label: 'require the SDK clients alone (runtime copy)', value: requiredMs, unit: 'ms' },
      { label: 'import them', value: sdkMs, unit: 'ms' },
    ),
  ];
  return { rows, sdkFile };
}

async function floorModule(outDir: string, name: string, source: string, format?: 'cjs') {
  const entry = join(outDir, `${name}.ts`);
  await writeFile(entry, source);
  const options = format ? { ...runtimeSdkOptions, format, banner: {} } : runtimeSdkOptions;
  return (await bundle(entry, join(outDir, name), options)).file;
}

async function handlerFigures(node: string, handler: string, outDir: string, sdkFile: string) {
  const deployed = await bundleHandler(handler, join(outDir, handler));
  const before = await bundle(
    join(handlersDir, `${handler}.ts`),
    join(outDir, `${handler}-runtime-sdk`),
    runtimeSdkOptions,
  );
  // All three in a process of the function's memory, as its runtime would start.
  const memorySizeMb = memoryOf(handler as FunctionName);
  const [sdk, deployedCost, beforeCost] = await importCosts(node, [
    { file: sdkFile, memorySizeMb },
    { file: deployed.file, memorySizeMb },
    { file: before.file, memorySizeMb },
  ]);
  const [sdkMs = 0, importMs = 0, beforeMs = 0] = [sdk?.ms, deployedCost?.ms, beforeCost?.ms];
  const cpu = (cost?: { cpuMs: number }) => `CPU ${cost?.cpuMs.toFixed(0)} ms`;
  return [
    figure(
      group,
      { label: `bundle ${handler} (minified)`, value: deployed.bytes / 1000, unit: 'kB' },
      undefined,
      undefined,
      { label: 'SDK from the runtime', value: before.bytes / 1000, unit: 'kB' },
    ),
    figure(
      group,
      {
        label: `import ${handler} (${cpu(deployedCost)}), median of ${imports}`,
        value: importMs,
        unit: 'ms',
      },
      { label: `SDK clients alone (${cpu(sdk)})`, value: sdkMs, unit: 'ms' },
      budget.all(budget.atMost(importMs, 100, 'ms'), budget.ratioAtMost(importMs / sdkMs, 0.6)),
      { label: `SDK from the runtime (${cpu(beforeCost)})`, value: beforeMs, unit: 'ms' },
    ),
  ];
}

/**
 * Why the bundling is what it is: the sample handler as deployed, next to the same as an ES
 * module (with the banner that lets CommonJS dependencies `require` Node.js built-ins), with
 * the SDK's whole default credential chain instead of the environment alone, and with tracing on
 * (the real Powertools Tracer and the X-Ray SDK, as a stage with `-c tracing=true` deploys it).
 */
async function choiceFigures(node: string, outDir: string) {
  const entry = join(handlersDir, `${sample}.ts`);
  const deployed = await bundleHandler(sample, join(outDir, `${sample}-choice`));
  const esm = await bundle(entry, join(outDir, `${sample}-esm`), {
    ...deployedOptions,
    format: 'esm',
    banner: runtimeSdkOptions.banner,
  });
  const chain = await bundle(entry, join(outDir, `${sample}-chain`), {
    ...deployedOptions,
    alias: withoutAlias(deployedOptions.alias, '@aws-sdk/credential-provider-node'),
  });
  const traced = await bundle(entry, join(outDir, `${sample}-traced`), {
    ...deployedOptions,
    alias: aliasesOf(bundlingFor({ tracing: true }).esbuildArgs ?? {}),
  });
  const [deployedMs = 0, esmMs = 0, chainMs = 0, tracedMs = 0] = await importTimes(node, [
    { file: deployed.file },
    { file: esm.file },
    { file: chain.file },
    { file: traced.file },
  ]);
  const asDeployed = { label: 'as deployed', value: deployedMs, unit: 'ms' } as const;
  return [
    figure(
      group,
      { label: `import ${sample} bundled as an ES module`, value: esmMs, unit: 'ms' },
      asDeployed,
    ),
    figure(
      group,
      {
        label: `${sample} with the whole credential chain (${(chain.bytes / 1000).toFixed(0)} kB)`,
        value: chainMs,
        unit: 'ms',
      },
      asDeployed,
    ),
    figure(
      group,
      {
        label: `${sample} with tracing on (X-Ray SDK, ${(traced.bytes / 1000).toFixed(0)} kB)`,
        value: tracedMs,
        unit: 'ms',
      },
      asDeployed,
    ),
  ];
}

/**
 * What `--enable-source-maps` (NODE_OPTIONS) costs: on the import, and on the first stack trace
 * of an error raised under the handler's code, which is when Node.js reads the map.
 */
async function sourceMapFigures(node: string, outDir: string) {
  const file = (await bundleHandler(sample, join(outDir, `${sample}-maps`))).file;
  const withMaps = { NODE_OPTIONS: '--enable-source-maps' };
  const [withMs = 0, withoutMs = 0] = await importTimes(node, [{ file, env: withMaps }, { file }]);
  const [withStackMs = 0, withoutStackMs = 0] = await importTimes(
    node,
    [
      { file, env: withMaps },
      { file, env: {} },
    ],
    firstStackTraceScript,
  );
  return [
    figure(
      group,
      { label: `import ${sample} with --enable-source-maps`, value: withMs, unit: 'ms' },
      { label: 'without', value: withoutMs, unit: 'ms' },
    ),
    figure(
      group,
      { label: 'first stack trace with --enable-source-maps', value: withStackMs, unit: 'ms' },
      { label: 'without', value: withoutStackMs, unit: 'ms' },
    ),
  ];
}

/**
 * A handler bundled as the stack deploys it, into `dir`/index.js, with the lazy modules it
 * imports beside it and the package.json that leads to them (infra/cdk/lazy-modules.ts).
 */
export async function bundleHandler(handler: string, dir: string) {
  const deployed = await bundle(join(handlersDir, `${handler}.ts`), dir, deployedOptions);
  for (const module of lazyModulesOf(await readFile(deployed.file, 'utf8'))) {
    await build({
      ...deployedOptions,
      entryPoints: [join(projectRoot, module.entry)],
      outfile: join(dir, module.file),
    });
  }
  await writeFile(join(dir, 'package.json'), assetPackageJson());
  return deployed;
}

/**
 * Bundles to `dir`/index.js (CommonJS) or index.mjs (ES module), as NodejsFunction names them.
 * A CommonJS bundle gets a package.json that says so: the function's folder has none, and here
 * the project's (an ES module package) would apply.
 */
async function bundle(entry: string, dir: string, options: BuildOptions) {
  const commonJs = options.format === 'cjs';
  const file = join(dir, commonJs ? 'index.js' : 'index.mjs');
  await build({ ...options, entryPoints: [entry], outfile: file });
  if (commonJs) await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  return { file, bytes: (await stat(file)).size };
}

interface Probe {
  readonly file: string;
  /** Variables besides the handlers' own. */
  readonly env?: Readonly<Record<string, string>>;
  /** The function's memory, which sets the runtime's heap flags. @default defaultMemorySizeMb */
  readonly memorySizeMb?: number;
}

/**
 * Prints how long loading $BENCH_MODULE took, in milliseconds, as its last line: the wall time,
 * then the main thread's CPU time, which other work on a busy machine moves much less.
 */
const importScript = `${loadModule}
const cpu = process.threadCpuUsage?.();
const started = performance.now();
await load();
const used = process.threadCpuUsage?.(cpu);
process.stdout.write('\\n' + (performance.now() - started) + ' ' + (used ? (used.user + used.system) / 1000 : NaN));`;

/**
 * Prints how long the first stack trace of an error raised under the handler's code took to
 * format: the event is a proxy whose every property read (by the handler) throws.
 */
const firstStackTraceScript = `${loadModule}
const { handler } = await load();
let stackMs;
const event = new Proxy({}, { get() {
  const error = new Error('probe');
  const started = performance.now();
  void error.stack;
  stackMs ??= performance.now() - started;
  throw error;
} });
try { await handler(event, {}); } catch {}
process.stdout.write('\\n' + stackMs);`;

/** The wall-time median of each probe, as `importCosts` measures it. */
async function importTimes(node: string, probes: readonly Probe[], script = importScript) {
  return (await importCosts(node, probes, script)).map((cost) => cost.ms);
}

/**
 * Median of each probe's figures (the last line's numbers: wall time, then CPU time if any) over
 * fresh processes. The probes take turns, so that a figure and the one it is compared to see the
 * same moments of a busy machine.
 */
async function importCosts(node: string, probes: readonly Probe[], script = importScript) {
  const samples = probes.map(() => ({ ms: [] as number[], cpuMs: [] as number[] }));
  for (let attempt = 0; attempt < imports; attempt++) {
    for (const [index, probe] of probes.entries()) {
      const env = {
        ...functionEnvironment,
        ...probe.env,
        BENCH_MODULE: pathToFileURL(probe.file).href,
      };
      const flags = runtimeNodeFlags(probe.memorySizeMb ?? defaultMemorySizeMb);
      const stdout = await runNode(node, [...flags, '--input-type=module', '-e', script], env);
      const [ms = Number.NaN, cpuMs = Number.NaN] = (stdout.split('\n').at(-1) ?? '')
        .split(' ')
        .map(Number);
      samples[index]?.ms.push(ms);
      samples[index]?.cpuMs.push(cpuMs);
    }
  }
  return samples.map((each) => ({ ms: median(each.ms), cpuMs: median(each.cpuMs) }));
}

const run = promisify(execFile);

async function runNode(node: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout } = await run(node, args, { env: { PATH: process.env.PATH, ...env } });
    return stdout;
  } catch (error) {
    // The error's own text would quote a line of minified bundle; its last line says what failed.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason =
      stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? stderr.slice(-500);
    throw new Error(`${args.join(' ')} failed: ${reason}`);
  }
}
