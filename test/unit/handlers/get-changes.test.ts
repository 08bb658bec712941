import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/get-changes.ts';
import { decodeChangeCursor, encodeChangeCursor } from '#http/change-cursor.ts';
import { encodePageToken } from '#http/page-token.ts';
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

const set = {
  feed: 'all',
  position: '2026-02-12T10:00:00.000Z#payments.retries#000000000002',
  name: 'payments.retries',
  version: 2,
  type: 'ConfigValueSet',
  value: '{"max":3, "big":12345678901234567890}',
  occurredAt: '2026-02-12T10:00:00.000Z',
  actor: 'alice',
  comment: 'more retries',
};
const deleted = {
  feed: 'all',
  position: '2026-02-12T10:00:00.000Z#payments.timeout#000000000005',
  name: 'payments.timeout',
  version: 5,
  type: 'ConfigValueDeleted',
  occurredAt: '2026-02-12T10:00:00.000Z',
  actor: 'bob',
};

afterEach(() => {
  dynamo.reset();
});

describe('Handler: GET /changes', () => {
  it('answers the changes in feed order, values verbatim, with a cursor after the last one', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [set, deleted] });

    // Act
    const result = await getChanges({ limit: '2' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('"value":{"max":3, "big":12345678901234567890}');
    const body = jsonOf(result);
    expect(body.changes).toEqual([
      {
        name: 'payments.retries',
        version: 2,
        type: 'ConfigValueSet',
        value: { max: 3, big: expect.any(Number) },
        occurredAt: '2026-02-12T10:00:00.000Z',
        actor: 'alice',
        comment: 'more retries',
      },
      {
        name: 'payments.timeout',
        version: 5,
        type: 'ConfigValueDeleted',
        occurredAt: '2026-02-12T10:00:00.000Z',
        actor: 'bob',
      },
    ]);
    expect(decodeChangeCursor(String(body.cursor))).toBe(deleted.position);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { Limit: 2 });
  });

  it('reads 100 changes from the start of the feed by default', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await getChanges();

    // Assess
    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      Limit: 100,
      ExclusiveStartKey: undefined,
    });
    const body = jsonOf(result);
    expect(body.changes).toEqual([]);
    expect(decodeChangeCursor(String(body.cursor))).toBeUndefined();
  });

  it('resumes after the cursor it is given, and hands the same cursor back when nothing came', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const cursor = encodeChangeCursor(set.position);

    // Act
    const result = await getChanges({ after: cursor });

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: { feed: 'all', position: set.position },
    });
    expect(jsonOf(result).cursor).toBe(cursor);
  });

  it('starts at an instant with since, and answers a cursor after the last change', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [set] });

    // Act
    const result = await getChanges({ since: '2026-02-12T11:00:00+01:00', limit: '5' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#feed = :feed AND #position BETWEEN :from AND :until',
      ExpressionAttributeValues: expect.objectContaining({ ':from': '2026-02-12T10:00:00.000Z' }),
      Limit: 5,
    });
    expect(decodeChangeCursor(String(jsonOf(result).cursor))).toBe(set.position);
  });

  it('answers no changes and a cursor that resumes at the instant for a since in the future', async () => {
    // Act
    const result = await getChanges({ since: '2999-01-01T00:00:00Z' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
    const body = jsonOf(result);
    expect(body.changes).toEqual([]);
    expect(decodeChangeCursor(String(body.cursor))).toBe('2999-01-01T00:00:00.000Z');
  });

  it('refuses since and after together with 400, saying the feed starts at one point', async () => {
    // Act
    const result = await getChanges({
      since: '2026-02-12T10:00:00Z',
      after: encodeChangeCursor(set.position),
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toMatchObject({
      error: 'validation_error',
      message: expect.stringMatching(/after .* or since .*, not both/),
    });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it.each([
    ['a tampered cursor', { after: `${encodeChangeCursor(set.position)}x` }],
    ['another query’s token', { after: encodePageToken('list:', 'payments.retries') }],
    ['limit 0', { limit: '0' }],
    ['limit 1001', { limit: '1001' }],
    ['a limit that is no number', { limit: 'ten' }],
    ['wait 21', { wait: '21' }],
    ['a negative wait', { wait: '-1' }],
    ['a fractional wait', { wait: '1.5' }],
    ['an unknown parameter', { from: '2026-02-12T10:00:00Z' }],
    ['a since without a zone', { since: '2026-02-12T10:00:00' }],
    ['a since that is no date', { since: 'yesterday' }],
    ['an empty since', { since: '' }],
    ['a since on February 30', { since: '2026-02-30T00:00:00Z' }],
  ])('answers 400 validation_error for %s, without reading the feed', async (_, query) => {
    // Act
    const result = await getChanges(query);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toMatchObject({ error: 'validation_error' });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });
});
