import { describe, expect, it } from 'vitest';
import { synthesize } from './support/synth.ts';
import { functionLogicalId, logicalIdOf, resourceProperties } from './support/template-queries.ts';

const { stack, template } = synthesize();

describe('Construct: StreamProjection', () => {
  it('feeds the log stream to the projector, one of its two readers (the publisher is the other)', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.logTable.table), 'StreamArn'] },
      FunctionName: { Ref: functionLogicalId(stack, 'projector') },
    });
  });

  it('starts from the oldest record and reports failed records one by one', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      BatchSize: 100,
    });
  });

  it('bounds retries and record age, and processes two batches per shard at once', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 60 * 60,
      ParallelizationFactor: 2,
    });
  });

  it('only delivers inserts: expiring heartbeats are not events', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
    });
  });

  it('sends what it gives up on to the dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalIdOf(stack.streamProjection.deadLetterQueue), 'Arn'],
          },
        },
      },
    });
  });

  it('keeps dead letters encrypted, for 14 days, reachable over TLS only', () => {
    // Prepare
    const queueId = logicalIdOf(stack.streamProjection.deadLetterQueue);

    // Act
    const queue = resourceProperties(template, queueId);

    // Assess
    expect(queue).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
          },
        ],
      },
    });
  });
});
