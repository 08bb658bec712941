/**
 * The hard limits of the AWS services the functions run on, in one place. The store pages its
 * reads by them, response builders stay inside them, and validation derives the service's own
 * limits (functions/domain/limits.ts) from them. Sources: the DynamoDB, Lambda and API Gateway
 * quota pages of the AWS documentation.
 */
export const awsLimits = {
  /** DynamoDB: an item, attribute names and values together, with its local index copies. */
  dynamoItemMaxBytes: 400 * 1024,
  /** DynamoDB: the data one Query or Scan request reads before it stops with LastEvaluatedKey. */
  dynamoReadPageMaxBytes: 1024 * 1024,
  /** DynamoDB: items in one BatchWriteItem request. */
  dynamoBatchWriteMaxItems: 25,
  /** DynamoDB: items in one BatchGetItem request. */
  dynamoBatchGetMaxItems: 100,
  /** DynamoDB: items, and bytes, in one TransactWriteItems request. */
  dynamoTransactionMaxItems: 100,
  dynamoTransactionMaxBytes: 4 * 1024 * 1024,
  /** Lambda: a synchronous invocation's request and response payloads. */
  lambdaPayloadMaxBytes: 6 * 1024 * 1024,
  /** API Gateway HTTP API: the integration timeout and the request body. */
  apiGatewayTimeoutMs: 30_000,
  apiGatewayPayloadMaxBytes: 10 * 1024 * 1024,
} as const;

/**
 * What a response body may hold, leaving room below Lambda's payload limit for the headers, the
 * envelope around the items and API Gateway's own framing.
 */
export const responseBodyBudgetBytes = awsLimits.lambdaPayloadMaxBytes - 512 * 1024;
