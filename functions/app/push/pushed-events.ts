import { channelOfName, pushedValueMaxBytes } from '#client/push-protocol.ts';
import type { Commit, ConfigEvent } from '#domain/events.ts';
import { RawJson, serializeJson } from '#domain/json.ts';

/** Events for one channel, each the JSON text AppSync Events delivers to subscribers. */
export interface ChannelEvents {
  readonly channel: string;
  readonly events: readonly string[];
}

/**
 * A commit as pushed events: one per change, on its name's channel, grouped by channel in the
 * commit's order. A value larger than `pushedValueMaxBytes` stays out (`valueOmitted`): the
 * reader reads it from the feed, which keeps the push small and the publish cheap.
 */
export function pushedEventsOf(commit: Commit, namespace?: string): ChannelEvents[] {
  const byChannel = new Map<string, string[]>();
  for (const event of commit.events) {
    const channel = channelOfName(event.name, namespace);
    const events = byChannel.get(channel) ?? [];
    events.push(pushedEvent(event, commit.events.length));
    byChannel.set(channel, events);
  }
  return [...byChannel].map(([channel, events]) => ({ channel, events }));
}

function pushedEvent(event: ConfigEvent, commitSize: number): string {
  const { name, version, revision, type, occurredAt, actor, comment, restoredVersion } = event;
  const value =
    event.type === 'ConfigValueSet'
      ? Buffer.byteLength(event.value) <= pushedValueMaxBytes
        ? { value: new RawJson(event.value) }
        : { valueOmitted: true }
      : {};
  return serializeJson({
    revision,
    name,
    version,
    type,
    ...value,
    commitSize,
    occurredAt,
    actor,
    ...(comment === undefined ? {} : { comment }),
    ...(restoredVersion === undefined ? {} : { restoredVersion }),
  });
}
