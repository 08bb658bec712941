import type { ConfigEvent, ConfigEventType } from '#domain/events.ts';

/** The `detail-type` of each change's event: what EventBridge rules match first. */
export const changeEventDetailTypes = {
  ConfigValueSet: 'Config Value Set',
  ConfigValueDeleted: 'Config Value Deleted',
} as const satisfies Record<ConfigEventType, string>;

export type ChangeEventDetailType = (typeof changeEventDetailTypes)[ConfigEventType];

/** One change, as announced: the event's `detail-type`, its time and its detail as JSON text. */
export interface ChangeEvent {
  readonly detailType: ChangeEventDetailType;
  /** When the change was committed (ISO 8601, milliseconds, UTC). */
  readonly time: string;
  /** The detail, JSON text: a value travels in it exactly as it was written. */
  readonly detail: string;
}

export interface ChangeEventOptions {
  /** Whether a set's value is part of the detail. Values may be secrets: off unless asked for. */
  readonly includeValue: boolean;
  /** The largest detail, in UTF-8 bytes, the destination takes; a value that would pass it is left out. */
  readonly detailMaxBytes: number;
}

/**
 * A change's event. Its detail names the change exactly (name, version, revision) so that a
 * reader of at-least-once deliveries can drop repeats, and says who made it, when and why; a
 * revert carries the version it restored. The value only when asked for and when it fits;
 * when it does not, `valueOmitted` says so and the reader fetches it by version.
 */
export function changeEventOf(event: ConfigEvent, options: ChangeEventOptions): ChangeEvent {
  const bare = JSON.stringify({
    name: event.name,
    version: event.version,
    revision: event.revision,
    actor: event.actor,
    occurredAt: event.occurredAt,
    ...(event.comment === undefined ? {} : { comment: event.comment }),
    ...(event.restoredVersion === undefined ? {} : { restoredVersion: event.restoredVersion }),
  });
  return {
    detailType: changeEventDetailTypes[event.type],
    time: event.occurredAt,
    detail:
      event.type === 'ConfigValueSet' && options.includeValue
        ? withValue(bare, event.value, options.detailMaxBytes)
        : bare,
  };
}

/** The value spliced in as its own JSON text, so not one digit of it is reformatted. */
function withValue(bare: string, value: string, detailMaxBytes: number): string {
  const full = `${bare.slice(0, -1)},"value":${value}}`;
  if (Buffer.byteLength(full) <= detailMaxBytes) return full;
  return `${bare.slice(0, -1)},"valueOmitted":"tooLarge"}`;
}
