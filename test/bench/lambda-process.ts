import { changeSinkVariables } from '#sinks/change-sinks.ts';
import { tableDefinitions } from '#store/tables.ts';
import { type FunctionName, functionCatalog } from '../../infra/cdk/function-catalog.ts';
import { defaultMemorySizeMb } from '../../infra/cdk/ledger-function.ts';

/**
 * What a function's process has in its environment on Lambda, for a handler bundle loaded in a
 * plain Node.js process: every table's name variable (any name will do until a table is
 * called) and the variables the runtime and the stack set.
 */
export const functionEnvironment: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    tableDefinitions.map((table) => [table.tableNameVariable, table.defaultTableName]),
  ),
  // The change publisher's sink, as the stack's change events configure it (any bus name will do).
  [changeSinkVariables.bus]: 'config-ledger-changes',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'config-ledger',
  POWERTOOLS_METRICS_NAMESPACE: 'ConfigLedger',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** The memory the stack gives a function, in MB. */
export function memoryOf(name: FunctionName): number {
  return functionCatalog[name].memorySize ?? defaultMemorySizeMb;
}

/**
 * The flags the managed Node.js runtime's bootstrap starts `node` with in a function of
 * `memorySizeMb` (/var/runtime/bootstrap): a tenth of the memory for V8's young generation, as
 * two semi-spaces, the rest for the old one, `gc()` exposed and 80 kB HTTP headers. Any of those
 * V8 flags makes Node.js compile its built-in modules without the code cache its binary embeds,
 * so a process started without them loads `node:crypto` or `node:https` about twice as fast as
 * a function does.
 */
export function runtimeNodeFlags(memorySizeMb: number): string[] {
  const youngMb = Math.floor(memorySizeMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.floor(youngMb / 2)}`,
    `--max-old-space-size=${memorySizeMb - youngMb}`,
  ];
}

/**
 * Node.js built-ins the Lambda runtime has loaded before it loads a function's module, so that a
 * module requiring them again pays nothing for them on Lambda. The runtime interface client
 * (aws-lambda-nodejs-runtime-interface-client, which the managed Node.js runtimes run) makes its
 * Runtime API client first, which requires `node:http` and `node:net` (for streamed responses)
 * and makes an `http.Agent`; its invocation context requires `node:assert`.
 */
const runtimeBuiltins = ['node:http', 'node:net', 'node:assert'];

/**
 * Script lines that define `load()`, which loads the module at $BENCH_MODULE (a file URL) as the
 * Lambda runtime would: `import` for an ES module (.mjs), `require` for anything else, in a
 * process that has loaded what the runtime loads first.
 */
export const loadModule = `import { createRequire } from 'node:module';
const url = process.env.BENCH_MODULE;
const requireModule = createRequire(import.meta.url);
for (const builtin of ${JSON.stringify(runtimeBuiltins)}) requireModule(builtin);
new (requireModule('node:http').Agent)({ keepAlive: true, maxSockets: 1 });
const load = async () => url.endsWith('.mjs') ? import(url) : requireModule(new URL(url).pathname);`;
