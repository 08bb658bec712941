import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/cdk/function-catalog.ts';
import { synthesize } from './support/synth.ts';
import { functionLogicalId, logicalIdOf } from './support/template-queries.ts';

const { stack, template } = synthesize();

type Json = Record<string, unknown>;

/** Alarms by name, less the stack name every one of them starts with. */
const alarms = Object.fromEntries(
  Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, alarm]) => [
    String(alarm.Properties.AlarmName).replace(/^config-ledger-dev-/, ''),
    { id, ...(alarm.Properties as Json) },
  ]),
) as Record<string, Json & { id: string }>;

const fnDimension = (name: FunctionName) => [
  { Name: 'FunctionName', Value: { Ref: functionLogicalId(stack, name) } },
];
const functionIds = stack.functions.all().map((fn) => fn.node.id);

/** The math-expression alarms: their expression and the metrics it uses. */
function expressionOf(name: string) {
  const metrics = alarms[name]?.Metrics as Json[];
  const expression = metrics.find((metric) => 'Expression' in metric)?.Expression;
  const inputs = metrics.flatMap((metric) => {
    const stat = metric.MetricStat as { Metric: Json; Stat: string } | undefined;
    return stat ? [{ id: metric.Id, ...stat.Metric, stat: stat.Stat }] : [];
  });
  return { expression, inputs };
}

describe('Construct: LedgerAlarms', () => {
  it('raises the alarms of the runbook, and a throttles alarm per function', () => {
    // Assess
    expect(Object.keys(alarms).sort()).toEqual(
      [
        'ProjectorIteratorAge',
        'ProjectorErrors',
        'DeadLettersNotEmpty',
        'PublisherIteratorAge',
        'PublisherErrors',
        'PublisherDeadLettersNotEmpty',
        'CanaryLag',
        'Api5xxRate',
        'ApiLatencyP99',
        'LogTableThrottles',
        'LogTableSystemErrors',
        'HistoryTableThrottles',
        'HistoryTableSystemErrors',
        'ProjectionTableThrottles',
        'ProjectionTableSystemErrors',
        'IdempotencyTableThrottles',
        'IdempotencyTableSystemErrors',
        'SnapshotsTableThrottles',
        'SnapshotsTableSystemErrors',
        'SnapshotErrors',
        ...functionIds.map((id) => `${id}Throttles`),
      ].sort(),
    );
  });

  it('notifies the alarm topic when an alarm fires and when it recovers', () => {
    // Prepare
    const topic = { Ref: logicalIdOf(stack.alarmTopic.topic) };

    // Assess
    for (const alarm of Object.values(alarms)) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.AlarmDescription).toMatch(/Runbook: README/);
    }
  });

  it.each([
    [
      'ProjectorIteratorAge',
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: fnDimension('projector'),
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 60_000,
        TreatMissingData: 'notBreaching',
      },
    ],
    [
      'ProjectorErrors',
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: fnDimension('projector'),
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      },
    ],
    [
      'DeadLettersNotEmpty',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [logicalIdOf(stack.streamProjection.deadLetterQueue), 'QueueName'],
            },
          },
        ],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'ignore',
      },
    ],
    [
      'PublisherIteratorAge',
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: fnDimension('publish-changes'),
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 5 * 60_000,
      },
    ],
    [
      'PublisherErrors',
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: fnDimension('publish-changes'),
        Statistic: 'Sum',
        Threshold: 1,
      },
    ],
    [
      'PublisherDeadLettersNotEmpty',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalIdOf(stack.changeEvents.deadLetterQueue), 'QueueName'] },
          },
        ],
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'ignore',
      },
    ],
    [
      'CanaryLag',
      {
        Namespace: 'ConfigLedger',
        MetricName: 'ProjectionLag',
        // The stage's own series: another stage's canary never feeds this alarm.
        Dimensions: [{ Name: 'service', Value: 'config-ledger-dev' }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 5_000,
        TreatMissingData: 'breaching',
      },
    ],
    [
      'ApiLatencyP99',
      {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf(stack.httpApi.api) } }],
        ExtendedStatistic: 'p99',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 2_000,
      },
    ],
  ])('watches %s', (name, expected) => {
    // Assess
    expect(alarms[name]).toMatchObject({ Period: 60, ...expected });
  });

  it('watches the API 5xx rate once there is traffic to speak of', () => {
    // Act
    const { expression, inputs } = expressionOf('Api5xxRate');

    // Assess
    expect(expression).toBe('IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)');
    expect(inputs).toEqual([
      expect.objectContaining({ id: 'errors', MetricName: '5xx', Namespace: 'AWS/ApiGateway' }),
      expect.objectContaining({ id: 'requests', MetricName: 'Count', Namespace: 'AWS/ApiGateway' }),
    ]);
    expect(alarms.Api5xxRate).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each([
    ['LogTableThrottles', 'ThrottledRequests', 'Log', ['Query', 'GetItem', 'PutItem']],
    ['LogTableSystemErrors', 'SystemErrors', 'Log', ['Query', 'GetItem', 'PutItem']],
    ['HistoryTableThrottles', 'ThrottledRequests', 'History', ['Query', 'BatchWriteItem']],
    ['HistoryTableSystemErrors', 'SystemErrors', 'History', ['Query', 'BatchWriteItem']],
    [
      'ProjectionTableThrottles',
      'ThrottledRequests',
      'Projection',
      ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
    ],
    [
      'ProjectionTableSystemErrors',
      'SystemErrors',
      'Projection',
      ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'],
    ],
    [
      'IdempotencyTableThrottles',
      'ThrottledRequests',
      'Idempotency',
      ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    ],
  ])('watches %s: %s summed over the operations in use', (name, metricName, table, operations) => {
    // Prepare
    const tables = {
      Log: stack.logTable,
      History: stack.historyTable,
      Projection: stack.projectionTable,
      Idempotency: stack.idempotencyTable,
    };
    const tableId = logicalIdOf(tables[table as keyof typeof tables].table);

    // Act
    const { expression, inputs } = expressionOf(name);

    // Assess
    expect(expression).toBe(operations.map((op) => `FILL(${op.toLowerCase()}, 0)`).join(' + '));
    expect(inputs).toEqual(
      operations.map((operation) => ({
        id: operation.toLowerCase(),
        Namespace: 'AWS/DynamoDB',
        MetricName: metricName,
        Dimensions: [
          { Name: 'Operation', Value: operation },
          { Name: 'TableName', Value: { Ref: tableId } },
        ],
        stat: 'Sum',
      })),
    );
    expect(alarms[name]).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
  });

  it.each(functionIds)('watches the %s function for throttles', (id) => {
    // Prepare
    const fn = stack.functions.all().find((candidate) => candidate.node.id === id);

    // Assess
    expect(alarms[`${id}Throttles`]).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn && logicalIdOf(fn.function) } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });
});

describe('Construct: AlarmTopic', () => {
  it('encrypts notifications with a rotating key CloudWatch may use', () => {
    // Prepare
    const keyId = logicalIdOf(stack.alarmTopic.topic.masterKey ?? stack.alarmTopic);

    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
          },
        ]),
      },
    });
  });

  it('refuses publishers that do not use TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes nobody unless an alarm email is given', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('emails the address given as alarmEmail', () => {
    // Act
    const withEmail = synthesize({ context: { alarmEmail: 'oncall@example.com' } });

    // Assess
    withEmail.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });
});

describe('Construct: LedgerDashboard', () => {
  it('shows every alarm', () => {
    // Prepare
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));

    // Act
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);

    // Assess
    expect(dashboard?.Properties.DashboardName).toBe('config-ledger-dev');
    for (const alarm of Object.values(alarms)) expect(body).toContain(`"${alarm.id}"`);
  });
});

describe('Stack: ConfigLedgerStack outputs', () => {
  it.each([
    'ApiUrl',
    'LogTableName',
    'HistoryTableName',
    'ProjectionTableName',
    'DashboardUrl',
    'AlarmTopicArn',
    'RebuildFunctionName',
  ])('outputs %s', (name) => {
    // Assess
    template.hasOutput(name, { Value: Match.anyValue() });
  });
});
