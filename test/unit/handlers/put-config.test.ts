import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/put-config.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { apiEvent, jsonOf } from '#test/api-events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const name = 'payments.checkout.timeout_ms';
const head = (version: number) => ({
  name,
  version,
  type: 'ConfigValueSet',
  value: '100',
  occurredAt: '2026-02-12T09:00:00.000Z',
  actor: 'bob',
});
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const put = (body: unknown, headers: Record<string, string> = {}) =>
  handler(
    apiEvent({ body: JSON.stringify(body), headers, pathParameters: { name } }),
    lambdaContext('put-config', 'test'),
  );

afterEach(() => {
  dynamo.reset();
});

describe('Handler: PUT /config/{name}', () => {
  it('appends version 1 with a conditional put and answers 201 with the entry and its ETag', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(PutCommand).resolves({});

    const result = await put({ value: { seconds: 30 }, comment: 'first' });

    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ etag: '"1"', 'x-request-id': 'Tq3cXjvVjoEEMhA=' });
    expect(jsonOf(result)).toMatchObject({
      name,
      value: { seconds: 30 },
      version: 1,
      updatedBy: 'arn:aws:sts::123456789012:assumed-role/platform-admin/alice',
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(#version)',
      Item: expect.objectContaining({
        name,
        version: 1,
        value: '{"seconds":30}',
        comment: 'first',
      }),
    });
  });

  it('retries a blind write that lost a race on the new head, and answers 200', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [head(1)] })
      .resolves({ Items: [head(2)] });
    dynamo.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});

    const result = await put({ value: 300 });

    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toMatchObject({ version: 3 });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 2);
  });

  it('answers 409 version_conflict with the current version when expectedVersion is stale', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [head(4)] });

    const result = await put({ value: 1, expectedVersion: 3 });

    expect(result.statusCode).toBe(409);
    expect(jsonOf(result)).toMatchObject({ error: 'version_conflict', currentVersion: 4 });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 409 when a guarded write loses the race for its version', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [head(4)] })
      .resolves({ Items: [head(5)] });
    dynamo.on(PutCommand).rejects(conditionFailed());

    const result = await put({ value: 1, expectedVersion: 4 });

    expect(result.statusCode).toBe(409);
    expect(jsonOf(result)).toMatchObject({ currentVersion: 5 });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('answers 412 when an If-Match precondition fails', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [head(4)] });

    const result = await put({ value: 1 }, { 'if-match': '"2"' });

    expect(result.statusCode).toBe(412);
    expect(jsonOf(result)).toMatchObject({ error: 'precondition_failed', currentVersion: 4 });
  });

  it('answers 500 with a request id and no internals when DynamoDB fails', async () => {
    dynamo.on(QueryCommand).rejects(new Error('socket hang up at /var/task/index.js:1:1'));

    const result = await put({ value: 1 });

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/socket|index\.js|stack/);
    expect(jsonOf(result)).toEqual({
      error: 'internal_error',
      message: expect.stringContaining('Tq3cXjvVjoEEMhA='),
    });
  });

  it('answers 400 without touching DynamoDB when the body is invalid', async () => {
    const result = await put({ value: 1, expectedVersion: -1, extra: true });

    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toMatchObject({ error: 'validation_error' });
    expect(dynamo.calls()).toHaveLength(0);
  });

  describe('a body that is not UTF-8', () => {
    const latin1 = (contentType: string) =>
      handler(
        apiEvent({
          body: Buffer.from('{"value":"caf\u00e9"}', 'latin1').toString('base64'),
          isBase64Encoded: true,
          headers: { 'content-type': contentType },
          pathParameters: { name },
        }),
        lambdaContext('put-config', 'test'),
      );

    it('answers 400 invalid_json and writes nothing when its bytes are not UTF-8', async () => {
      const result = await latin1('application/json');

      expect(result.statusCode).toBe(400);
      expect(jsonOf(result)).toEqual({
        error: 'invalid_json',
        message: 'The body is not valid UTF-8 (byte offset 13); JSON must be sent as UTF-8.',
      });
      expect(dynamo.calls()).toHaveLength(0);
    });

    it('answers 415 and writes nothing when it declares another charset', async () => {
      const result = await latin1('application/json; charset=iso-8859-1');

      expect(result.statusCode).toBe(415);
      expect(jsonOf(result)).toMatchObject({ error: 'unsupported_media_type' });
      expect(dynamo.calls()).toHaveLength(0);
    });
  });
});
