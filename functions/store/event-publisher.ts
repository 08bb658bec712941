import { setTimeout as sleep } from 'node:timers/promises';
import type { EventPublisher } from '#app/push/push-sink.ts';
import {
  type CredentialsProvider,
  createSigV4Signer,
  lazyDefaultCredentials,
  type RequestSigner,
} from '#client/sigv4.ts';

/** A publish that AppSync Events (or the local stack) did not take, after every retry. */
export class EventPublishError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventPublishError';
  }
}

export interface HttpEventPublisherOptions {
  /** The HTTP publish endpoint: `https://<api>.appsync-api.<region>.amazonaws.com/event`. */
  readonly url: string;
  /** Signs each request (IAM); none for the local stack. */
  readonly sign?: RequestSigner;
  /** Attempts per publish, the first included. Default 4. */
  readonly attempts?: number;
  /** The first pause between attempts, doubled each time, with full jitter. Default 100 ms. */
  readonly baseDelayMs?: number;
}

/**
 * Publishes over HTTP as AppSync Events takes it: POST `{ channel, events }` with each event a
 * JSON text. A network error, a 429 or 5xx, or an event the API reports as failed is retried
 * (the whole request: subscribers tell repeats by revision); a 4xx is not, it will not change.
 */
export function httpEventPublisher(options: HttpEventPublisherOptions): EventPublisher {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 100;
  return {
    publish: async (channel, events) => {
      const body = JSON.stringify({ channel, events });
      for (let attempt = 1; ; attempt++) {
        const failure = await tryPublish(options, body);
        if (failure === undefined) return;
        if (!failure.retryable || attempt >= attempts) {
          throw new EventPublishError(`Publishing on ${channel} failed: ${failure.reason}`);
        }
        await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      }
    },
  };
}

interface Failure {
  readonly reason: string;
  readonly retryable: boolean;
}

async function tryPublish(
  options: HttpEventPublisherOptions,
  body: string,
): Promise<Failure | undefined> {
  const url = new URL(options.url);
  const headers = { 'content-type': 'application/json' };
  try {
    const signed = options.sign ? await options.sign({ method: 'POST', url, headers, body }) : {};
    const response = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
    const text = await response.text();
    if (!response.ok) {
      const retryable = response.status === 429 || response.status >= 500;
      return { reason: `HTTP ${response.status} ${text.slice(0, 200)}`, retryable };
    }
    return failedEvents(text);
  } catch (error) {
    return { reason: (error as Error).message, retryable: true };
  }
}

/** A 200 may still list events the API did not take. */
function failedEvents(text: string): Failure | undefined {
  const answer = JSON.parse(text) as { failed?: unknown[] };
  const failed = answer.failed?.length ?? 0;
  return failed === 0 ? undefined : { reason: `${failed} event(s) failed`, retryable: true };
}

/** IAM: signs for `appsync` with the default credential chain (the Lambda's role). */
export function appSyncSigner(region: string, credentials?: CredentialsProvider): RequestSigner {
  return createSigV4Signer(region, credentials ?? lazyDefaultCredentials(), 'appsync');
}
