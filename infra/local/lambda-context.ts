import type { Context } from 'aws-lambda';
import { functionTimeoutSeconds } from '#shared/function-timeouts.ts';

/**
 * A Lambda context for in-process invocations; only what handlers and Powertools read. Its
 * deadline is the function's deployed timeout (`functionName` is a handler's name), unless a
 * timeout is given.
 */
export function lambdaContext(
  functionName: string,
  requestId: string,
  timeoutMs = functionTimeoutSeconds(functionName) * 1000,
): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `config-ledger-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:config-ledger-${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/config-ledger-${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
