import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageBusyError } from '#domain/errors.ts';
import { errorResponse } from '#http/error-response.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { UnprocessedBatchError } from '#store/batch-retry.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { idempotencyTable } from '#store/tables.ts';
import { apiEvent, jsonOf } from '#test/api-events.ts';

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

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A client with no retries of its own, so that the test does not wait for the SDK's backoff. */
function lowLevelClientOnce() {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

function clientOnce() {
  return createDocumentClient(lowLevelClientOnce());
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
      const client = lowLevelClientOnce();
      createDocumentClient(client);

      // Act
      const reading = createDocumentClient(client).send(read);

      // Assess
      await expect(reading).rejects.toThrow(StorageBusyError);
    });
  });
});

describe('Module: runtime', () => {
  it("keeps Idempotency-Keys on the stores' client: a keyed write whose key table throttles is a 503", async () => {
    // Prepare: a function's modules, loaded afresh against the throttling stand-in
    answer = { type: 'ProvisionedThroughputExceededException', status: 400 };
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    vi.stubEnv(idempotencyTable.tableNameVariable, 'any');
    vi.resetModules();
    const { idempotencyRecordsFromEnv } = await import('#store/runtime.ts');
    const { withIdempotency } = await import('#http/idempotency.ts');
    const { httpHandler } = await import('#http/http-handler.ts');
    let writes = 0;
    const write = httpHandler(
      withIdempotency(idempotencyRecordsFromEnv(), async () => {
        writes += 1;
        return { statusCode: 201, body: {} };
      }),
    );

    // Act
    const response = await write(
      apiEvent({ body: '{"value":1}', headers: { 'idempotency-key': 'k-1' } }),
      lambdaContext('put-config', 'request-1', 30_000),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    expect(jsonOf(response)).toMatchObject({ error: 'storage_busy' });
    expect(writes).toBe(0);
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
