import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '#shared/tracer.ts';

/**
 * The SDK finds region, credentials and endpoint itself (the local stack points it at the
 * embedded engine with AWS_ENDPOINT_URL_DYNAMODB), so the same code runs locally and on Lambda.
 * Each call is a subsegment of the trace when tracing is on.
 */
export function createDocumentClient(
  client = tracer.captureAWSv3Client(new DynamoDBClient({})),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
