import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { functionTimeoutSeconds } from '#shared/function-timeouts.ts';
import { type FunctionName, type FunctionSpec, functionCatalog } from './function-catalog.ts';
import { LedgerFunction, type TableUse } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';
import { pascalCase } from './names.ts';

export interface LedgerFunctionsProps {
  readonly logTable: LedgerTable;
  readonly historyTable: LedgerTable;
  readonly projectionTable: LedgerTable;
  readonly idempotencyTable: LedgerTable;
  readonly snapshotTable: LedgerTable;
  /** Powertools log level of every function. @default 'INFO' */
  readonly logLevel?: string;
  /** Powertools service name of every function. @default - the LedgerFunction default */
  readonly serviceName?: string;
  /** X-Ray tracing of every function. @default false */
  readonly tracing?: boolean;
}

/** Every function of the catalog, each with exactly the table access the catalog gives it. */
export class LedgerFunctions extends Construct {
  private readonly byName = new Map<FunctionName, LedgerFunction>();

  constructor(scope: Construct, id: string, props: LedgerFunctionsProps) {
    super(scope, id);
    for (const [name, spec] of catalogEntries()) {
      const fn = new LedgerFunction(this, pascalCase(name), {
        handler: name,
        description: spec.description,
        timeout: Duration.seconds(functionTimeoutSeconds(name)),
        memorySize: spec.memorySize,
        logLevel: props.logLevel,
        serviceName: props.serviceName,
        tracing: props.tracing,
      });
      for (const [table, use] of tableUses(props, spec)) fn.useTable(table, use);
      for (const [variable, value] of Object.entries(spec.environment ?? {})) {
        fn.addEnvironment(variable, value);
      }
      this.byName.set(name, fn);
    }
  }

  get(name: FunctionName): LedgerFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`No function named ${name} in the catalog.`);
    return fn;
  }

  all(): LedgerFunction[] {
    return [...this.byName.values()];
  }

  entries(): [FunctionName, LedgerFunction][] {
    return [...this.byName.entries()];
  }
}

/** Each table the spec says the function uses, with how. */
function tableUses(props: LedgerFunctionsProps, spec: FunctionSpec): [LedgerTable, TableUse][] {
  const uses: [LedgerTable, TableUse | undefined][] = [
    [props.logTable, spec.log],
    [props.historyTable, spec.history],
    [props.projectionTable, spec.projection],
    [props.idempotencyTable, spec.idempotency],
    [props.snapshotTable, spec.snapshots],
  ];
  return uses.flatMap(([table, use]) => (use ? [[table, use] as [LedgerTable, TableUse]] : []));
}

function catalogEntries() {
  return Object.entries(functionCatalog) as [
    FunctionName,
    (typeof functionCatalog)[FunctionName],
  ][];
}
