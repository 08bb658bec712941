import { ApiError } from './errors.ts';

/** How many times a request is sent again when the API says "not now, come back in n s". */
export const maxRetries = 3;
/** The longest the CLI waits for one retry, whatever Retry-After asks. */
const maxRetryDelayMs = 10_000;

export type Sleep = (ms: number) => Promise<void>;

const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends again, up to maxRetries times, a request the API answered with 429 or 503 and a
 * Retry-After: the API's promise that nothing was done (a write lost its races, the projection
 * is catching up) and of when to come back. Anything else fails at once: a 502 or 504 from a
 * gateway may hide a write that landed, so only the caller can know whether to send it again.
 */
export async function withRetries<T>(attempt: () => Promise<T>, wait: Sleep = sleep): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      const delayMs = retryDelayMs(error);
      if (delayMs === undefined || retry >= maxRetries) throw error;
      await wait(delayMs);
    }
  }
}

function retryDelayMs(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.retryAfterMs === undefined) return undefined;
  if (error.status !== 429 && error.status !== 503) return undefined;
  return Math.min(error.retryAfterMs, maxRetryDelayMs);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; undefined if neither. */
export function parseRetryAfter(header: string | null, nowMs = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
