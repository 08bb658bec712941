import { limits } from '#domain/limits.ts';

/** What a function gets unless it is listed below: writes and reads take milliseconds. */
const defaultTimeoutSeconds = 10;

/**
 * How long each function may run, in seconds: the one definition that the deployment gives
 * Lambda and that the local stack enforces as each invocation's deadline, so that
 * `getRemainingTimeInMillis()` (and with it the expiry of an idempotency key in progress) means
 * the same thing in both places.
 */
const timeoutSecondsByFunction: Readonly<Record<string, number>> = {
  'export-config': 29,
  'import-config': 29,
  'verify-log': 29,
  // Room for the longest long poll plus a query; API Gateway gives up at 30 s anyway.
  'get-changes': limits.changesWaitMaxSeconds + 5,
  projector: 60,
  // Room for a batch of 100 commits' events and the sink's retries of refused ones.
  'publish-changes': 60,
  'rebuild-projection': 15 * 60,
  canary: 30,
  // Folding and writing a snapshot of a large configuration: reads and writes of its size.
  'take-snapshot': 5 * 60,
};

/** The timeout of a function of the catalog, by its name (a handler's file name). */
export function functionTimeoutSeconds(functionName: string): number {
  return timeoutSecondsByFunction[functionName] ?? defaultTimeoutSeconds;
}
