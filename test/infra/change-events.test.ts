import { describe, expect, it } from 'vitest';
import { synthesize } from './support/synth.ts';
import {
  functionLogicalId,
  logicalIdOf,
  permissionsOf,
  resourceProperties,
} from './support/template-queries.ts';

const { stack, template } = synthesize();
const publisherMapping = () => {
  const publisher = functionLogicalId(stack, 'publish-changes');
  const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
    (resource) => resource.Properties.FunctionName?.Ref === publisher,
  );
  return mapping?.Properties as Record<string, unknown>;
};
const variablesOf = (fnId: string, of = template) =>
  (resourceProperties(of, fnId).Environment as { Variables: Record<string, unknown> }).Variables;

describe('Construct: ChangeEvents', () => {
  it('creates a bus of the stage’s own and names it in an output', () => {
    // Assess
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasOutput('ChangeEventsBusName', {
      Value: { Ref: logicalIdOf(stack.changeEvents.bus) },
    });
  });

  it('feeds the log stream to the publisher as its second reader', () => {
    // Act
    const mapping = publisherMapping();

    // Assess
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.logTable.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
    });
  });

  it('bisects a failing batch, bounds its retries and age, then sends it to its own dead letters', () => {
    // Act
    const mapping = publisherMapping();

    // Assess
    expect(mapping).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 60 * 60,
      ParallelizationFactor: 1,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalIdOf(stack.changeEvents.deadLetterQueue), 'Arn'] },
        },
      },
    });
    expect(logicalIdOf(stack.changeEvents.deadLetterQueue)).not.toBe(
      logicalIdOf(stack.streamProjection.deadLetterQueue),
    );
  });

  it('lets the publisher put events on that bus only, and read nothing but the log stream', () => {
    // Act
    const permissions = permissionsOf(stack, template, 'publish-changes');

    // Assess
    expect(permissions.filter((line) => line.startsWith('events:'))).toEqual([
      'events:PutEvents on change events bus',
    ]);
    expect(permissions.filter((line) => line.startsWith('dynamodb:'))).toEqual([
      'dynamodb:DescribeStream on log stream',
      'dynamodb:GetRecords on log stream',
      'dynamodb:GetShardIterator on log stream',
      'dynamodb:ListStreams on *',
    ]);
  });

  it('tells the publisher the bus, the stage as source, and to leave values out', () => {
    // Act
    const variables = variablesOf(functionLogicalId(stack, 'publish-changes'));

    // Assess
    expect(variables).toMatchObject({
      CHANGE_EVENTS_BUS_NAME: { Ref: logicalIdOf(stack.changeEvents.bus) },
      CHANGE_EVENTS_SOURCE: 'config-ledger-dev',
      CHANGE_EVENTS_VALUES: 'false',
    });
  });

  describe('with -c eventBus=default -c eventValues=true', () => {
    const shared = synthesize({ context: { eventBus: 'default', eventValues: 'true' } });

    it('creates no bus and publishes, with values, to the account’s default bus', () => {
      // Act
      const variables = variablesOf(
        functionLogicalId(shared.stack, 'publish-changes'),
        shared.template,
      );

      // Assess
      shared.template.resourceCountIs('AWS::Events::EventBus', 0);
      expect(variables).toMatchObject({
        CHANGE_EVENTS_BUS_NAME: 'default',
        CHANGE_EVENTS_VALUES: 'true',
      });
    });

    it('grants PutEvents on the default bus alone', () => {
      // Act
      const permissions = permissionsOf(shared.stack, shared.template, 'publish-changes');

      // Assess
      expect(permissions.filter((line) => line.startsWith('events:'))).toEqual([
        expect.stringMatching(/^events:PutEvents on arn:.*:event-bus\/default$/),
      ]);
    });
  });
});
