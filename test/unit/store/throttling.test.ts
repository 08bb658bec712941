import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageBusyError } from '#domain/errors.ts';
import { errorResponse } from '#http/error-response.ts';
import { UnprocessedBatchError } from '#store/batch-retry.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';

/** A stand-in for DynamoDB that answers every call with the error the test sets. */
let answer = { type: 'ProvisionedThroughputExceededException', status: 400 };
let server: Server;
let endpoint = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${answer.type}`,
          message: 'refused by the test',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A client with no retries of its own, so that the test does not wait for the SDK's backoff. */
function clientOnce() {
  return createDocumentClient(
    new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    }),
  );
}

const read = new GetCommand({ TableName: 'any', Key: { name: 'a' } });

describe('Module: dynamo-client', () => {
  describe('Function: createDocumentClient', () => {
    it("turns DynamoDB's throttling, past the SDK's retries, into StorageBusyError", async () => {
      // Prepare
      answer = { type: 'ProvisionedThroughputExceededException', status: 400 };

      // Act
      const reading = clientOnce().send(read);

      // Assess
      await expect(reading).rejects.toThrow(StorageBusyError);
      await expect(reading).rejects.toThrow(/DynamoDB throttled GetItemCommand/);
    });

    it('passes any other error on as it is', async () => {
      // Prepare
      answer = { type: 'ResourceNotFoundException', status: 400 };

      // Act
      const reading = clientOnce().send(read);

      // Assess
      await expect(reading).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('adds its translation once to a client it is given twice', async () => {
      // Prepare
      answer = { type: 'ThrottlingException', status: 400 };
      const client = new DynamoDBClient({
        endpoint,
        region: 'local',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      createDocumentClient(client);

      // Act
      const reading = createDocumentClient(client).send(read);

      // Assess
      await expect(reading).rejects.toThrow(StorageBusyError);
    });
  });
});

describe('Module: error-response', () => {
  it('answers throttling, by a call or by a batch left unprocessed, with a retryable 503', () => {
    const throttled = [
      new StorageBusyError('DynamoDB throttled GetItemCommand.'),
      new UnprocessedBatchError('BatchGetItem', 8, 3),
    ];
    for (const error of throttled) {
      expect(errorResponse(error, 'request-1')).toMatchObject({
        statusCode: 503,
        headers: { 'retry-after': '1' },
        body: { error: 'storage_busy' },
      });
    }
  });
});
