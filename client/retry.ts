import { ApiError, NetworkError } from './errors.ts';

/** When and how long to wait before sending a failed request again. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 sends once. */
  readonly maxRetries: number;
  /** Whether this failure may be sent again at all. */
  readonly retries: (error: unknown) => boolean;
  /** How long to wait before retry number `retry` (0 for the first) after `error`. */
  readonly delayMs: (retry: number, error: unknown) => number;
}

export interface BackoffOptions {
  /** Default 4: five attempts in all. */
  readonly maxRetries?: number;
  /** The ceiling of the first wait; it doubles with each retry. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** No wait is longer, Retry-After included. Default 10 s. */
  readonly maxDelayMs?: number;
  /** A number in [0, 1); Math.random unless a test fixes it. */
  readonly random?: () => number;
}

/**
 * The client's default: every failure that passes by itself (429, any 5xx, no answer at all) is
 * sent again, up to `maxRetries` times. A write is safe to send again because it always carries
 * an Idempotency-Key, the same on every attempt. The wait honours Retry-After; otherwise it is
 * "full jitter" exponential backoff, a random wait between 0 and base × 2^retry (capped), so
 * that clients failed by one outage do not all come back at the same instant.
 */
export function transientFailures(options: BackoffOptions = {}): RetryPolicy {
  const { maxRetries = 4, baseDelayMs = 100, maxDelayMs = 10_000, random = Math.random } = options;
  return {
    maxRetries,
    retries: isTransient,
    delayMs: (retry, error) => {
      const asked = error instanceof ApiError ? error.retryAfterMs : undefined;
      if (asked !== undefined) return Math.min(asked, maxDelayMs);
      return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry));
    },
  };
}

/** No answer, throttled, or a server-side failure. */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && (error.status === 429 || error.status >= 500);
}

/** Sends once: for callers that retry on their own terms. */
export const noRetries: RetryPolicy = { maxRetries: 0, retries: () => false, delayMs: () => 0 };

export type Sleep = (ms: number) => Promise<void>;

// A plain timer, not node:timers/promises: the web console sends its requests through this client.
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, the policy refuses a retry, or the retries run out. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  wait: Sleep = sleep,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.maxRetries || !policy.retries(error)) throw error;
      await wait(policy.delayMs(retry, error));
    }
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; undefined if neither. */
export function parseRetryAfter(header: string | null, nowMs = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
