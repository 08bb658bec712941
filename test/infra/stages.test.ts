import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { consoleContext } from './support/console-context.ts';
import { synthesize } from './support/synth.ts';

type Json = Record<string, unknown>;

/** Resources whose names are unique in an account and region (CloudFront's: in the account). */
const namedByUs: Readonly<Record<string, (properties: Json) => unknown>> = {
  'AWS::CloudWatch::Alarm': (properties) => properties.AlarmName,
  'AWS::CloudWatch::Dashboard': (properties) => properties.DashboardName,
  'AWS::ApiGatewayV2::Api': (properties) => properties.Name,
  'AWS::CloudFront::ResponseHeadersPolicy': (properties) =>
    (properties.ResponseHeadersPolicyConfig as Json).Name,
  'AWS::CloudFront::OriginAccessControl': (properties) =>
    (properties.OriginAccessControlConfig as Json).Name,
};

/** Name properties that, when left out, CloudFormation fills in from the stack's name. */
const namedByCloudFormation = [
  'TableName',
  'FunctionName',
  'RoleName',
  'LogGroupName',
  'TopicName',
  'QueueName',
  'BucketName',
  'ManagedPolicyName',
];

function resourcesOf(template: Template): { Type: string; Properties?: Json }[] {
  return Object.values(template.toJSON().Resources);
}

/** The names the stack gives its resources itself, as JSON: one built from the region is a token. */
function physicalNames(template: Template): string[] {
  return resourcesOf(template).flatMap(({ Type, Properties = {} }) => {
    const nameOf = namedByUs[Type];
    return nameOf ? [JSON.stringify(nameOf(Properties))] : [];
  });
}

describe('Stages', () => {
  // With the console: CloudFront's names are unique across the account, not just the region.
  const dev = synthesize({ context: consoleContext });
  const prod = synthesize({ context: { ...consoleContext, stage: 'prod' } });

  it('names the stack after its stage, config-ledger-dev by default', () => {
    // Assess
    expect(dev.stack.stackName).toBe('config-ledger-dev');
    expect(prod.stack.stackName).toBe('config-ledger-prod');
    expect(prod.stack.artifactId).toBe('config-ledger-prod');
  });

  it('gives two stages no resource name in common, so both fit in one account and region', () => {
    // Act
    const devNames = physicalNames(dev.template);
    const prodNames = new Set(physicalNames(prod.template));

    // Assess
    expect(devNames.length).toBeGreaterThan(10);
    expect(devNames.filter((name) => prodNames.has(name))).toEqual([]);
  });

  it("names alarms, the dashboard, the API and CloudFront's policies after the stage's stack", () => {
    // Act
    const names = physicalNames(prod.template);

    // Assess
    for (const name of names) expect(name).toContain('config-ledger-prod');
  });

  it('leaves the names of tables, functions, roles, log groups and the rest to CloudFormation', () => {
    // Act
    const fixed = resourcesOf(prod.template).flatMap(({ Type, Properties = {} }) =>
      namedByCloudFormation
        // A reference to another resource (an event source's FunctionName) is an object.
        .filter((key) => typeof Properties[key] === 'string')
        .map((key) => `${Type} ${key}`),
    );

    // Assess
    expect(fixed).toEqual([]);
  });
});
