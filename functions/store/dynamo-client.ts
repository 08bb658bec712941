import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK finds region, credentials and endpoint itself (the local stack points it at the
 * embedded engine with AWS_ENDPOINT_URL_DYNAMODB), so the same code runs locally and on Lambda.
 */
export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
