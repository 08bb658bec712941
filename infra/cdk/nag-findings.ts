import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The id cdk-nag gives a wildcard resource finding (AwsSolutions-IAM5), so that each wildcard is
 * acknowledged on its own: `Resource::` and the resource with references flattened the way
 * cdk-nag prints them (`<LogicalId>`, `<LogicalId.Attribute>`, `<AWS::Region>`).
 */
export function wildcardResourceFinding(resource: string, scope?: IConstruct): string {
  const flat = Token.isUnresolved(resource)
    ? flatten(requireScope(scope).resolve(resource))
    : resource;
  return `AwsSolutions-IAM5[Resource::${flat}]`;
}

/** Acknowledges each finding (id → the reason it does not apply) on a construct and below. */
export function acknowledgeFindings(
  construct: IConstruct,
  findings: Readonly<Record<string, string>>,
): void {
  for (const [id, reason] of Object.entries(findings)) {
    Validations.of(construct).acknowledge({ id, reason });
  }
}

function requireScope(scope: IConstruct | undefined): Stack {
  if (!scope) throw new Error('A resource with references needs a scope to be resolved in.');
  return Stack.of(scope);
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node;
  if (isObject(node)) {
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flatten).join('.')}>`;
    if ('Ref' in node) return `<${flatten(node.Ref)}>`;
  }
  return JSON.stringify(node);
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null;
}
