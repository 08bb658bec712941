import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageBusyError } from '#domain/errors.ts';
import { tracer } from '#shared/tracer.ts';

/**
 * The SDK finds region, credentials and endpoint itself (the local stack points it at the
 * embedded engine with AWS_ENDPOINT_URL_DYNAMODB), so the same code runs locally and on Lambda.
 * Each call is a subsegment of the trace when tracing is on, and DynamoDB's throttling is a
 * StorageBusyError (see throttlingAsStorageBusy).
 */
export function createDynamoClient(): DynamoDBClient {
  return throttlingAsStorageBusy(tracer.captureAWSv3Client(new DynamoDBClient({})));
}

/** The stores' client: plain JavaScript values in and out, over `client` (see above). */
export function createDocumentClient(client = createDynamoClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(throttlingAsStorageBusy(client), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

const middlewareName = 'throttlingAsStorageBusy';

/** The errors DynamoDB throttles with (the SDK also marks them as throttling errors). */
const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * Once the SDK has spent its own retries (this runs outside them), a throttled call fails with
 * StorageBusyError, which clients get as a retryable 503, instead of an internal error.
 */
function throttlingAsStorageBusy(client: DynamoDBClient): DynamoDBClient {
  const stack = client.middlewareStack;
  if (stack.identify().some((entry) => entry.startsWith(middlewareName))) return client;
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isThrottling(error)) throw error;
        throw new StorageBusyError(
          `DynamoDB throttled ${context.commandName ?? 'a call'} past the SDK's retries: more traffic than the table takes right now. Retry after Retry-After.`,
          { cause: error },
        );
      }
    },
    { step: 'initialize', name: middlewareName },
  );
  return client;
}

function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return throttlingErrors.has(error.name) || retryable?.throttling === true;
}
