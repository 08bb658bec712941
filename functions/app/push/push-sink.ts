import type { ChangeSink } from '#app/change-sink.ts';
import type { Commit } from '#domain/events.ts';
import { type ChannelEvents, pushedEventsOf } from './pushed-events.ts';

/** At most this many events in one publish request (AppSync Events' limit). */
export const eventsPerPublish = 5;

/** Where pushed events go: AppSync Events' HTTP publish endpoint, or the local stack's. */
export interface EventPublisher {
  /** Publishes up to `eventsPerPublish` events on one channel; throws when they were not all taken. */
  publish(channel: string, events: readonly string[]): Promise<void>;
}

/**
 * Announces each commit to watching clients: every change on its name's channel, commits in
 * revision order, one publish request per channel and five events. Push may be lossy (a failed
 * publish after the publisher's retries fails the batch, which the stream retries, so a client
 * may also see a change twice): clients take the push as a hint and the feed as the truth.
 */
export function pushSink(publisher: EventPublisher, namespace?: string): ChangeSink {
  return {
    name: 'push',
    publish: async (commits: readonly Commit[]) => {
      for (const commit of commits) {
        for (const group of pushedEventsOf(commit, namespace)) await publishAll(publisher, group);
      }
    },
  };
}

async function publishAll(publisher: EventPublisher, group: ChannelEvents): Promise<void> {
  for (let start = 0; start < group.events.length; start += eventsPerPublish) {
    await publisher.publish(group.channel, group.events.slice(start, start + eventsPerPublish));
  }
}
