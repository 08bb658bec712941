import type { ChangeSink } from '#app/change-sink.ts';
import { pushSink } from '#app/push/push-sink.ts';
import { appSyncSigner, httpEventPublisher } from '#store/event-publisher.ts';

/**
 * The push sink publishing to `url`: AppSync Events (https, each request signed with the
 * function's role for `appsync` in `region`), or the local stack's push server (http, unsigned).
 */
export function pushSinkTo(url: string, region: string | undefined): ChangeSink {
  const signed = new URL(url).protocol === 'https:';
  if (signed && !region) throw new Error('Publishing to AppSync Events needs AWS_REGION.');
  return pushSink(
    httpEventPublisher({ url, ...(signed && region ? { sign: appSyncSigner(region) } : {}) }),
  );
}
