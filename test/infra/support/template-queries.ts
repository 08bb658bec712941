import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ConfigLedgerStack } from '../../../infra/cdk/config-ledger-stack.ts';
import type { FunctionName } from '../../../infra/cdk/function-catalog.ts';

/** The logical ID of a construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  // The L1 resource under an L2 construct, or the construct itself when it is one.
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(resource).getLogicalId(resource);
}

export function functionLogicalId(stack: ConfigLedgerStack, name: FunctionName): string {
  return logicalIdOf(stack.functions.get(name).function);
}

type Json = Record<string, unknown>;

export function resourceProperties(template: Template, logicalId: string): Json {
  const resource = template.toJSON().Resources?.[logicalId] as { Properties?: Json } | undefined;
  if (!resource) throw new Error(`No resource ${logicalId} in the template.`);
  return resource.Properties ?? {};
}

/**
 * What a function's role may do, as sorted `action on resource` lines with resources named
 * for people: `log`, `history`, `log stream`, `own log group`, `*`.
 */
export function permissionsOf(stack: ConfigLedgerStack, template: Template, name: FunctionName) {
  const fn = stack.functions.get(name);
  const roleId = logicalIdOf(fn.function.role ?? fn);
  const labels = new Map<string, string>([
    [logicalIdOf(stack.logTable.table), 'log'],
    [logicalIdOf(stack.historyTable.table), 'history'],
    [logicalIdOf(stack.projectionTable.table), 'projection'],
    [logicalIdOf(stack.idempotencyTable.table), 'idempotency'],
    [logicalIdOf(stack.snapshotTable.table), 'snapshots'],
    [logicalIdOf(stack.streamProjection.deadLetterQueue), 'dead letters'],
    [logicalIdOf(stack.changeEvents.deadLetterQueue), 'publisher dead letters'],
    [logicalIdOf(stack.changeEvents.bus), 'change events bus'],
    [logicalIdOf(fn.logGroup), 'own log group'],
  ]);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`),
  );
  const lines = policies.flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => {
      if (statement.Effect !== 'Allow') throw new Error('Only Allow statements are expected.');
      return asList(statement.Action).flatMap((action) =>
        asList(statement.Resource).map((resource) => `${action} on ${label(resource, labels)}`),
      );
    }),
  );
  return lines.sort();
}

/** Every action granted anywhere in the template: roles' and managed policies. */
export function allGrantedActions(template: Template): string[] {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Policy')),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
  ].map((policy) => policy.Properties.PolicyDocument as { Statement: Json[] });
  return documents.flatMap((document) =>
    document.Statement.flatMap((statement) => asList(statement.Action) as string[]),
  );
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function label(resource: unknown, labels: ReadonlyMap<string, string>): string {
  return flatten(resource).replace(/<(\w+)\.(\w+)>/g, (_, id: string, attribute: string) => {
    const name = labels.get(id) ?? id;
    return attribute === 'StreamArn' ? `${name} stream` : name;
  });
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node;
  const object = node as Json;
  if (Array.isArray(object['Fn::Join'])) {
    const [delimiter, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(delimiter);
  }
  if (Array.isArray(object['Fn::GetAtt']))
    return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Ref' in object) return `<${String(object.Ref)}>`;
  return JSON.stringify(node);
}
