/**
 * The prices every USD figure of the bench is computed from: AWS's published on-demand list
 * prices in us-east-1 (US East, N. Virginia), first tier, each with the page it is published on
 * and the date it took effect. The one place to update when AWS changes a price.
 */
export const prices = {
  region: 'us-east-1',
  dynamodb: {
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    /** Standard table class, on demand, since the reduction of 1 November 2024. */
    since: '2024-11-01',
    usdPerMillionWriteUnits: 0.625,
    usdPerMillionReadUnits: 0.125,
  },
  lambda: {
    source: 'https://aws.amazon.com/lambda/pricing/',
    /** Arm (Graviton2) functions, first 7.5 billion GB-seconds a month. */
    since: '2021-09-29',
    usdPerGbSecond: 0.0000133334,
    usdPerMillionRequests: 0.2,
  },
  apiGateway: {
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    /** HTTP APIs, first 300 million requests a month (each 512 KB of a request counts as one). */
    since: '2020-03-12',
    usdPerMillionRequests: 1.0,
  },
  appSyncEvents: {
    source: 'https://aws.amazon.com/appsync/pricing/',
    /**
     * AppSync Events, since its launch on 30 October 2024. Operations are connection and
     * subscription requests and events published and delivered (each 5 KB of an event counts
     * as one); keep-alive messages are not among them.
     */
    since: '2024-10-30',
    usdPerMillionOperations: 1.0,
    usdPerMillionConnectionMinutes: 0.08,
  },
} as const;

/** Lambda bills each invocation's duration by the millisecond, rounded up, at its memory size. */
export function lambdaUsd(memoryMb: number, durationMs: number): number {
  return (
    Math.ceil(durationMs) * (memoryMb / 1024 / 1000) * prices.lambda.usdPerGbSecond +
    prices.lambda.usdPerMillionRequests / 1e6
  );
}

export function dynamoUsd(units: { readonly read: number; readonly write: number }): number {
  return (
    (units.read * prices.dynamodb.usdPerMillionReadUnits +
      units.write * prices.dynamodb.usdPerMillionWriteUnits) /
    1e6
  );
}

export const apiRequestUsd = prices.apiGateway.usdPerMillionRequests / 1e6;

/** AWS prices a month as 730 hours. */
export const secondsPerMonth = 730 * 3600;
