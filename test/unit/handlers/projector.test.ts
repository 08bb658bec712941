import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import corrupt from '../../events/dynamodb-stream/insert-corrupt.json' with { type: 'json' };
import heartbeat from '../../events/dynamodb-stream/insert-heartbeat.json' with { type: 'json' };
import setRecord from '../../events/dynamodb-stream/insert-set.json' with { type: 'json' };
import expiredHeartbeat from '../../events/dynamodb-stream/remove-expired-heartbeat.json' with {
  type: 'json',
};

const dynamo = mockClient(DynamoDBDocumentClient);
const project = (...records: unknown[]) =>
  handler({ Records: records as DynamoDBRecord[] }, lambdaContext('projector', 'test'), () => {});

afterEach(() => {
  dynamo.reset();
});

describe('Handler: projector', () => {
  it('applies an inserted event with an update guarded by its version', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const response = await project(setRecord);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { name: 'payments.checkout.timeout_ms' },
      ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
      ExpressionAttributeValues: expect.objectContaining({
        ':version': 3,
        ':value': '{"seconds":30}',
        ':deleted': false,
      }),
    });
  });

  it('treats an event older than the projection as already applied, not as a failure', async () => {
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      }),
    );

    expect(await project(setRecord)).toEqual({ batchItemFailures: [] });
  });

  it('reports a corrupt record as an item failure and still applies the records around it', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const response = await project(corrupt, setRecord);

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: corrupt.dynamodb.SequenceNumber }],
    });
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });

  it('reports a record whose projection write fails, so the event source mapping retries it', async () => {
    dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const response = await project(setRecord, expiredHeartbeat);

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: setRecord.dynamodb.SequenceNumber }],
    });
  });

  it('writes the event to the change feed under its position, as a plain (idempotent) put', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const response = await project(setRecord);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: {
        feed: 'all',
        position: '2026-02-12T10:00:00.000Z#payments.checkout.timeout_ms#000000000003',
        name: 'payments.checkout.timeout_ms',
        version: 3,
        type: 'ConfigValueSet',
        value: '{"seconds":30}',
        occurredAt: '2026-02-12T10:00:00.000Z',
        actor: 'arn:aws:sts::123456789012:assumed-role/platform-admin/alice',
        comment: 'raise the timeout',
      },
    });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.ConditionExpression).toBeUndefined();
  });

  it('keeps the health heartbeat out of the change feed, but projects it', async () => {
    dynamo.on(UpdateCommand).resolves({});

    expect(await project(heartbeat)).toEqual({ batchItemFailures: [] });
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('reports a record whose feed write fails, so the event source mapping retries it', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const response = await project(setRecord, heartbeat);

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: setRecord.dynamodb.SequenceNumber }],
    });
  });

  it('ignores removals (expired heartbeat events): they are not configuration events', async () => {
    expect(await project(expiredHeartbeat)).toEqual({ batchItemFailures: [] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
