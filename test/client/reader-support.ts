import {
  type Change,
  ConfigLedgerClient,
  type ConfigReader,
  transientFailures,
} from '#client/index.ts';

/** A client for a local stack that gives up quickly, and counts the requests it sends. */
export function countingClient(baseUrl: string) {
  let requests = 0;
  const client = new ConfigLedgerClient({
    baseUrl,
    retry: transientFailures({ maxRetries: 1, baseDelayMs: 20, maxDelayMs: 200 }),
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
  });
  return { client, requests: () => requests };
}

/** Subscribes and records every change announced and every error met, in order. */
export function record(reader: ConfigReader) {
  const changes: Change[] = [];
  const errors: unknown[] = [];
  const unsubscribe = reader.subscribe(
    (change) => changes.push(change),
    (error) => errors.push(error),
  );
  return { changes, errors, unsubscribe };
}

/** Waits until `condition` holds; the deadline only guards against a hang. */
export async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not reached in ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Each change as `r<revision> <name> v<version>`: easy to compare, and unique. */
export const described = (changes: readonly Change[]) =>
  changes.map((change) => `r${change.revision} ${change.name} v${change.version}`);
