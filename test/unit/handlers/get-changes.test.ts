import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/get-changes.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { apiEvent, jsonOf } from '#test/api-events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const getChanges = (query?: Record<string, string>) =>
  handler(
    apiEvent({
      method: 'GET',
      routeKey: 'GET /changes',
      rawPath: '/changes',
      queryStringParameters: query,
    }),
    lambdaContext('get-changes', 'test'),
  );

/** Two log items: a set at revision 7 and a commit of two changes at revision 8. */
const setCommit = {
  log: 'all',
  revision: 7,
  occurredAt: '2026-02-12T10:00:00.000Z',
  actor: 'alice',
  commitId: 'c7',
  changes: [
    {
      name: 'payments.retries',
      version: 2,
      type: 'ConfigValueSet',
      value: '{"max":3, "big":12345678901234567890}',
      comment: 'more retries',
    },
  ],
};
const pairCommit = {
  log: 'all',
  revision: 8,
  occurredAt: '2026-02-12T10:00:01.000Z',
  actor: 'bob',
  commitId: 'c8',
  changes: [
    { name: 'payments.timeout', version: 5, type: 'ConfigValueDeleted' },
    { name: 'payments.window', version: 1, type: 'ConfigValueSet', value: '30' },
  ],
};

afterEach(() => {
  dynamo.reset();
});

describe('Handler: GET /changes', () => {
  it('answers the changes in revision order, values verbatim, and the revision to resume after', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [setCommit, pairCommit] });

    // Act
    const result = await getChanges({ after: '6', limit: '3' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['config-revision']).toBe('8');
    expect(result.body).toContain('"value":{"max":3, "big":12345678901234567890}');
    const body = jsonOf(result);
    expect(body.changes).toEqual([
      {
        name: 'payments.retries',
        version: 2,
        revision: 7,
        type: 'ConfigValueSet',
        value: { max: 3, big: expect.any(Number) },
        occurredAt: '2026-02-12T10:00:00.000Z',
        actor: 'alice',
        comment: 'more retries',
      },
      {
        name: 'payments.timeout',
        version: 5,
        revision: 8,
        type: 'ConfigValueDeleted',
        occurredAt: '2026-02-12T10:00:01.000Z',
        actor: 'bob',
      },
      {
        name: 'payments.window',
        version: 1,
        revision: 8,
        type: 'ConfigValueSet',
        value: 30,
        occurredAt: '2026-02-12T10:00:01.000Z',
        actor: 'bob',
      },
    ]);
    expect(body).toMatchObject({ revision: 8, more: false });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#log = :log AND #revision > :after',
      ExpressionAttributeValues: { ':log': 'all', ':after': 6 },
      // Eventually consistent: a follower comes back for what a replica lacked.
      ConsistentRead: false,
    });
  });

  it('reads 100 commits from the beginning by default, and says where an empty log stands', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await getChanges();

    // Assess
    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':log': 'all', ':after': 0 },
      Limit: 100,
    });
    expect(jsonOf(result)).toEqual({ changes: [], revision: 0, more: false });
  });

  it('answers a follower that is up to date with nothing and its own revision', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({ Item: pairCommit });

    // Act
    const result = await getChanges({ after: '8' });

    // Assess
    expect(jsonOf(result)).toEqual({ changes: [], revision: 8, more: false });
  });

  it('answers 404 to a follower ahead of the log, naming the newest revision', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ScanIndexForward: false }).resolves({ Items: [pairCommit] });
    dynamo.on(GetCommand).resolves({});

    // Act
    const result = await getChanges({ after: '12' });

    // Assess
    expect(result.statusCode).toBe(404);
    expect(jsonOf(result)).toMatchObject({
      error: 'revision_not_found',
      details: { revision: 12, newestRevision: 8 },
    });
  });

  it('refuses since and after together with 400, saying the feed starts at one point', async () => {
    // Act
    const result = await getChanges({ after: '3', since: '2026-02-12T10:00:00Z' });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toMatchObject({
      error: 'validation_error',
      message: expect.stringMatching(/after .* or since .*, not both/),
    });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it.each([
    ['a cursor of the old kind', { after: 'eyJzY29wZSI6ImNoYW5nZXMifQ.abc' }],
    ['a negative revision', { after: '-1' }],
    ['a limit of 0', { limit: '0' }],
    ['a wait beyond 20 s', { wait: '21' }],
    ['a malformed instant', { since: 'yesterday' }],
  ])('refuses %s with 400 and reads nothing', async (_case, query) => {
    // Act
    const result = await getChanges(query);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toMatchObject({ error: 'validation_error' });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });
});
