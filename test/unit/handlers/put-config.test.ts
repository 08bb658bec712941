import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/put-config.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { apiEvent, jsonOf } from '#test/api-events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const name = 'payments.checkout.timeout_ms';
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** The projector has applied revisions up to 7; the entry, when it exists, is at `version`. */
function projected(version?: number) {
  const entry = {
    view: 'entries',
    name,
    version,
    revision: 5,
    value: '100',
    updatedAt: 'x',
    updatedBy: 'bob',
    deleted: false,
  };
  dynamo.on(GetCommand).callsFake((input) => {
    if (input.Key.view === 'progress') {
      return { Item: { revision: 7, occurredAt: '2026-02-12T09:00:00.000Z' } };
    }
    return version === undefined ? {} : { Item: entry };
  });
  // The name is read together with the schemas that may cover it (none here).
  dynamo.on(BatchGetCommand).callsFake((input) => {
    const [table = ''] = Object.keys(input.RequestItems);
    return { Responses: { [table]: version === undefined ? [] : [entry] }, UnprocessedKeys: {} };
  });
}

/** A commit that beat the writer to a revision (to this name unless told otherwise). */
const commitAt = (revision: number, version: number, to = name) => ({
  log: 'all',
  revision,
  occurredAt: '2026-02-12T09:30:00.000Z',
  actor: 'bob',
  commitId: `someone-else-${revision}`,
  changes: [{ name: to, version, type: 'ConfigValueSet', value: '200' }],
});

const put = (body: unknown, headers: Record<string, string> = {}) =>
  handler(
    apiEvent({ body: JSON.stringify(body), headers, pathParameters: { name } }),
    lambdaContext('put-config', 'test'),
  );

afterEach(() => {
  dynamo.reset();
});

describe('Handler: PUT /config/{name}', () => {
  it('commits version 1 at the next revision with a conditional put, and answers 201', async () => {
    // Prepare
    projected();
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(PutCommand).resolves({});

    // Act
    const result = await put({ value: { seconds: 30 }, comment: 'first' });

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({
      etag: '"1"',
      'config-revision': '8',
      'x-request-id': 'Tq3cXjvVjoEEMhA=',
    });
    expect(jsonOf(result)).toMatchObject({
      name,
      value: { seconds: 30 },
      version: 1,
      revision: 8,
      updatedBy: 'arn:aws:sts::123456789012:assumed-role/platform-admin/alice',
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(#revision)',
      Item: expect.objectContaining({
        log: 'all',
        revision: 8,
        changes: [
          {
            name,
            version: 1,
            type: 'ConfigValueSet',
            value: '{"seconds":30}',
            comment: 'first',
            // The first event of its name: chained to the genesis value, hashed once sequenced.
            previousHash: '0'.repeat(64),
            hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          },
        ],
      }),
    });
  });

  it('reads the commits past the projector, and decides on the newest state among them', async () => {
    // Prepare
    projected(1);
    // From the commit at the progress on, as the log holds them: no revision is ever missing.
    dynamo.on(QueryCommand).resolves({ Items: [commitAt(7, 1, 'other.entry'), commitAt(8, 2)] });
    dynamo.on(PutCommand).resolves({});

    // Act
    const result = await put({ value: 300 });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toMatchObject({ version: 3, revision: 9 });
  });

  it('retries a blind write that lost the race for a revision, on top of what beat it', async () => {
    // Prepare
    projected(1);
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [commitAt(8, 2)] });
    dynamo.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});

    // Act
    const result = await put({ value: 300 });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toMatchObject({ version: 3, revision: 9 });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 2);
  });

  it('answers 201 once when its own put was applied but the answer lost (the SDK retried it)', async () => {
    // Prepare: the first put lands, its answer is lost, the retry finds the revision taken.
    projected();
    let committed: Record<string, unknown> | undefined;
    dynamo.on(PutCommand).callsFake((input) => {
      committed = input.Item;
      return Promise.reject(conditionFailed());
    });
    dynamo.on(QueryCommand).callsFake(() => ({ Items: committed ? [committed] : [] }));

    // Act
    const result = await put({ value: 1 });

    // Assess
    expect(result.statusCode).toBe(201);
    expect(jsonOf(result)).toMatchObject({ version: 1, revision: 8 });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('answers 409 version_conflict with the current version when expectedVersion is stale', async () => {
    // Prepare
    projected(4);
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await put({ value: 1, expectedVersion: 3 });

    // Assess
    expect(result.statusCode).toBe(409);
    expect(jsonOf(result)).toMatchObject({ error: 'version_conflict', currentVersion: 4 });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 409 when a guarded write loses the race to a change of its name', async () => {
    // Prepare
    projected(4);
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [commitAt(8, 5)] });
    dynamo.on(PutCommand).rejects(conditionFailed());

    // Act
    const result = await put({ value: 1, expectedVersion: 4 });

    // Assess
    expect(result.statusCode).toBe(409);
    expect(jsonOf(result)).toMatchObject({ currentVersion: 5 });
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('answers 412 when an If-Match precondition fails', async () => {
    // Prepare
    projected(4);
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await put({ value: 1 }, { 'if-match': '"2"' });

    // Assess
    expect(result.statusCode).toBe(412);
    expect(jsonOf(result)).toMatchObject({ error: 'precondition_failed', currentVersion: 4 });
  });

  it('answers 500 with a request id and no internals when DynamoDB fails', async () => {
    // Prepare
    dynamo.on(GetCommand).rejects(new Error('socket hang up at /var/task/index.js:1:1'));

    // Act
    const result = await put({ value: 1 });

    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/socket|index\.js|stack/);
    expect(jsonOf(result)).toEqual({
      error: 'internal_error',
      message: expect.stringContaining('Tq3cXjvVjoEEMhA='),
    });
  });

  it('answers 400 without touching DynamoDB when the body is invalid', async () => {
    // Act
    const result = await put({ value: 1, expectedVersion: -1, extra: true });

    // Assess
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
