import { ApiError } from '#client/errors.ts';
import { type RetryPolicy, withRetries as retrying, type Sleep, sleep } from '#client/retry.ts';

export { parseRetryAfter } from '#client/retry.ts';

/** How many times a request is sent again when the API says "not now, come back in n s". */
export const maxRetries = 3;
/** The longest the CLI waits for one retry, whatever Retry-After asks. */
const maxRetryDelayMs = 10_000;

/**
 * The CLI's retry policy, stricter than the client library's default: a person is waiting and
 * sees the error, so only a 429 or 503 with a Retry-After is sent again: the API's promise that
 * nothing was done (a write lost its races, the projection is catching up) and of when to come
 * back. Anything else fails at once, with its own exit code.
 */
export const whenTheApiAsks: RetryPolicy = {
  maxRetries,
  retries: (error) => retryDelayMs(error) !== undefined,
  delayMs: (_retry, error) => retryDelayMs(error) ?? 0,
};

/** Runs `attempt` under the CLI's policy. */
export function withRetries<T>(attempt: () => Promise<T>, wait: Sleep = sleep): Promise<T> {
  return retrying(attempt, whenTheApiAsks, wait);
}

function retryDelayMs(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.retryAfterMs === undefined) return undefined;
  if (error.status !== 429 && error.status !== 503) return undefined;
  return Math.min(error.retryAfterMs, maxRetryDelayMs);
}
