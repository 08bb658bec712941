import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { assetPackageJson, type LazyModule, lazyModules } from './lazy-modules.ts';
import type { LedgerTable } from './ledger-table.ts';
import { wildcardResourceFinding } from './nag-findings.ts';

/** The repository root: esbuild resolves the handlers' `#…` imports from its package.json. */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

const jmespathFieldNames = `${projectRoot}infra/cdk/jmespath-field-names.ts`;

/**
 * How esbuild bundles every function: one minified CommonJS file for Node.js 22 with everything
 * it imports, the AWS SDK included. The bench's cold-start group bundles with these same options
 * and times the load (what Lambda's init does); the README's performance section has the figures.
 */
export const functionBundling = {
  // CommonJS, which the runtime loads with `require`: an ES module's `import` of a Node.js
  // built-in materializes all of the built-in's exports, and node:http's pull in undici and
  // HTTP/2 (tens of milliseconds of every cold start) where `require` does not.
  format: OutputFormat.CJS,
  target: 'node22',
  // Prefer the ES module builds of dependencies: esbuild tree-shakes those.
  mainFields: ['module', 'main'],
  minify: true,
  // The map travels with the code, pointing at the sources without embedding them, but is not
  // used at run time: --enable-source-maps made the import 1.2-1.5x slower and the first stack
  // trace cost 0.1-0.5 s (bench, figure 9). To read a function's stack traces at the sources, set
  // its NODE_OPTIONS to --enable-source-maps while debugging.
  sourceMap: true,
  sourcesContent: false,
  // The AWS SDK bundled and tree-shaken instead of the runtime's copy: importing the runtime's
  // DynamoDB clients alone takes longer than importing a whole handler with the parts of the SDK
  // it uses bundled in (issue 14; figures in the README's performance section).
  bundleAwsSDK: true,
  // Modules loaded on first need from files of their own (lazy-modules.ts), built after the
  // bundle by `lazyModuleHooks`.
  externalModules: lazyModules.map((module) => module.specifier),
  esbuildArgs: {
    // Credentials come from the environment in a function: the rest of the chain is dead weight.
    '--alias:@aws-sdk/credential-provider-node': `${projectRoot}infra/cdk/lambda-credentials.ts`,
    // DynamoDB streams no events: the SDK's event stream support is left out (no-event-streams.ts).
    '--alias:@smithy/core/event-streams': `${projectRoot}infra/cdk/no-event-streams.ts`,
    // Idempotency's JMESPath paths are field names: a full evaluator is left out.
    '--alias:@aws-lambda-powertools/jmespath': jmespathFieldNames,
    '--alias:@aws-lambda-powertools/jmespath/functions': jmespathFieldNames,
  },
} as const satisfies BundlingOptions;

const tracerOff = `${projectRoot}infra/cdk/tracer-off.ts`;

/** esbuild's command-line flags for a lazy module: the options of the functions' bundles. */
const lazyModuleEsbuildFlags = [
  '--bundle',
  '--platform=node',
  `--target=${functionBundling.target}`,
  `--format=${functionBundling.format}`,
  `--main-fields=${functionBundling.mainFields.join(',')}`,
  ...(functionBundling.minify ? ['--minify'] : []),
  ...(functionBundling.sourceMap ? ['--sourcemap'] : []),
  `--sources-content=${functionBundling.sourcesContent}`,
  '--log-level=warning',
];

/**
 * After esbuild has bundled a function into its asset: the bundle of each lazy module its code
 * imports, with the options of the function's own bundle, and the asset's package.json that
 * leads the import to it. Shell commands, run by NodejsFunction in the repository root.
 */
const lazyModuleHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir, outputDir) => [
    ...lazyModules.map((module) => bundleIfImported(module, outputDir)),
    `printf '%s' ${shellQuote(assetPackageJson())} > ${shellQuote(`${outputDir}/package.json`)}`,
  ],
};

/** Bundles a lazy module into the asset if the function's bundle imports it. */
function bundleIfImported(module: LazyModule, outputDir: string): string {
  const imported = `grep -qF ${shellQuote(module.specifier)} ${shellQuote(`${outputDir}/index.js`)}`;
  const esbuild = [
    `${projectRoot}node_modules/.bin/esbuild`,
    `${projectRoot}${module.entry}`,
    ...lazyModuleEsbuildFlags,
    `--outfile=${outputDir}/${module.file}`,
  ];
  return `if ${imported}; then ${esbuild.map(shellQuote).join(' ')}; fi`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The bundling of a function with or without tracing: without it, Powertools Tracer is replaced
 * by a stand-in that is always off (tracer-off.ts), so the X-Ray SDK is not even loaded.
 */
export function bundlingFor({ tracing }: { tracing: boolean }): BundlingOptions {
  if (tracing) return { ...functionBundling, commandHooks: lazyModuleHooks };
  return {
    ...functionBundling,
    commandHooks: lazyModuleHooks,
    esbuildArgs: {
      ...functionBundling.esbuildArgs,
      '--alias:@aws-lambda-powertools/tracer': tracerOff,
    },
  };
}

/**
 * A function's memory, and so its share of a vCPU, unless its catalog entry says otherwise: the
 * size the bench's memory rule picks for CPU-bound handlers (see function-catalog.ts).
 */
export const defaultMemorySizeMb = 1024;

/** The DynamoDB actions the store layer uses; anything else is never granted. */
export type DynamoDbAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:Query'
  | 'dynamodb:Scan';

/** What a function does with one table. */
export interface TableUse {
  /**
   * Actions on the table's own items.
   * @default - none
   */
  readonly actions?: readonly DynamoDbAction[];
  /**
   * Indexes the function queries (`dynamodb:Query` on each index's ARN).
   * @default - none
   */
  readonly queriedIndexes?: readonly string[];
}

export interface LedgerFunctionProps {
  /** The handler's file name in functions/handlers/, without `.ts`. */
  readonly handler: string;
  readonly description: string;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default defaultMemorySizeMb */
  readonly memorySize?: number;
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: string;
  /** Powertools service name, in logs and as the metrics' `service` dimension. @default 'config-ledger' */
  readonly serviceName?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * X-Ray: Lambda's active tracing, and Powertools Tracer in the handler (its subsegment and the
   * DynamoDB calls). Without it the bundle carries a Tracer that is always off (`bundlingFor`).
   * @default false
   */
  readonly tracing?: boolean;
}

/**
 * One Lambda function with the project's defaults baked in: Node.js 22 on ARM64, bundled by
 * esbuild on this machine (no Docker) into one minified file (see functionBundling), its own log
 * group with a retention, a role that may write to that log group and nothing else until a
 * table is granted with `useTable`.
 */
export class LedgerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: LedgerFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName ?? 'config-ledger';
    const tracing = props.tracing ?? false;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    // An own role instead of the AWS managed basic execution role, which may write to every log
    // group of the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function of config-ledger.`,
    });
    this.logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${projectRoot}functions/handlers/${props.handler}.ts`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? defaultMemorySizeMb,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup: this.logGroup,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: {
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_TRACE_ENABLED: String(tracing),
      },
      bundling: { ...bundlingFor({ tracing }), forceDockerBundling: false },
    });
    if (tracing) {
      Validations.of(role).acknowledge({
        id: wildcardResourceFinding('*'),
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords, which active tracing adds, have no resource-level permissions.',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the project targets and tests against (issue 3); moving to a newer runtime is a deliberate change, not a synth-time default.',
    });
  }

  /**
   * Lets the function use a table: sets the variable that carries the table's name and grants
   * exactly the listed actions, on the table or on the named indexes.
   */
  useTable(table: LedgerTable, use: TableUse): void {
    this.function.addEnvironment(table.tableNameVariable, table.tableName);
    const actions = use.actions ?? [];
    if (actions.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [table.table.tableArn] }),
      );
    }
    const indexes = use.queriedIndexes ?? [];
    if (indexes.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((indexName) => table.indexArn(indexName)),
        }),
      );
    }
  }

  /** Sets a variable the handler reads (and only such a variable). */
  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }
}
