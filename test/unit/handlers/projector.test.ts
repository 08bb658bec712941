import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import corrupt from '../../events/dynamodb-stream/insert-corrupt.json' with { type: 'json' };
import setRecord from '../../events/dynamodb-stream/insert-set.json' with { type: 'json' };
import removedByHand from '../../events/dynamodb-stream/remove-by-hand.json' with { type: 'json' };

const dynamo = mockClient(DynamoDBDocumentClient);
const project = (...records: unknown[]) =>
  handler({ Records: records as DynamoDBRecord[] }, lambdaContext('projector', 'test'), () => {});
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const name = 'payments.checkout.timeout_ms';
const progressKey = { view: 'progress', name: 'projector' };

afterEach(() => {
  dynamo.reset();
});

describe('Handler: projector', () => {
  it('writes the history, then the entry guarded by its revision, then moves the progress', async () => {
    // Prepare
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});

    // Act
    const response = await project(setRecord);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        [process.env.HISTORY_TABLE_NAME ?? '']: [
          {
            PutRequest: {
              Item: expect.objectContaining({
                name,
                version: 3,
                revision: 12,
                type: 'ConfigValueSet',
              }),
            },
          },
        ],
      },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { view: 'entries', name },
      ConditionExpression: 'attribute_not_exists(#revision) OR #revision < :revision',
      ExpressionAttributeValues: expect.objectContaining({
        ':version': 3,
        ':revision': 12,
        ':value': '{"seconds":30}',
        ':deleted': false,
      }),
    });
    // From exactly the revision before the batch: no gap can be jumped over.
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: progressKey,
      ConditionExpression: '#revision = :from',
      ExpressionAttributeValues: { ':from': 11, ':to': 12, ':at': '2026-02-12T10:00:00.000Z' },
    });
  });

  it('treats a commit older than the projection as already applied, not as a failure', async () => {
    // Prepare
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(UpdateCommand, { Key: { view: 'entries', name } }).rejects(conditionFailed());
    dynamo.on(UpdateCommand, { Key: progressKey }).resolves({});

    // Act & Assess
    expect(await project(setRecord)).toEqual({ batchItemFailures: [] });
  });

  it('fills a gap from the log when the progress is behind the batch, then moves it', async () => {
    // Prepare: the progress stands at 10; revision 11 never came through the stream.
    const eleven = {
      log: 'all',
      revision: 11,
      occurredAt: '2026-02-12T09:59:59.000Z',
      actor: 'bob',
      commitId: 'c11',
      changes: [{ name: 'other', version: 1, type: 'ConfigValueSet', value: '1' }],
    };
    dynamo.on(BatchWriteCommand).resolves({});
    // Moving the progress from exactly 11 fails: it is not there.
    dynamo
      .on(UpdateCommand)
      .callsFake((input) =>
        input.ConditionExpression === '#revision = :from'
          ? Promise.reject(conditionFailed())
          : Promise.resolve({}),
      );
    dynamo
      .on(GetCommand, { Key: progressKey })
      .resolves({ Item: { revision: 10, occurredAt: 'x' } });
    dynamo.on(QueryCommand).resolves({ Items: [eleven] });

    // Act
    const response = await project(setRecord);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':log': 'all', ':first': 11, ':through': 12 },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { view: 'entries', name: 'other' },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: progressKey,
      ConditionExpression: 'attribute_not_exists(#revision) OR #revision < :to',
      ExpressionAttributeValues: expect.objectContaining({ ':to': 11 }),
    });
  });

  it('reports a corrupt record as an item failure, and moves no progress', async () => {
    // Prepare
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});

    // Act
    const response = await project(setRecord, corrupt);

    // Assess
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: corrupt.dynamodb.SequenceNumber }],
    });
    expect(dynamo).not.toHaveReceivedCommandWith(UpdateCommand, { Key: progressKey });
  });

  it('fails a batch whose history write fails, so the event source mapping retries it', async () => {
    // Prepare
    dynamo.on(BatchWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act & Assess: every record failed, so the batch fails as a whole.
    await expect(project(setRecord)).rejects.toThrow('All records failed processing');
    expect(dynamo).not.toHaveReceivedCommandWith(UpdateCommand, { Key: progressKey });
  });

  it('ignores a removal: the log only grows, and a removal by hand carries no commit', async () => {
    // Act & Assess
    expect(await project(removedByHand)).toEqual({ batchItemFailures: [] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
