import type { LiveEntry } from '#domain/entry.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { RawJson } from '#domain/json.ts';

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON; RawJson parts are spliced in verbatim. */
  readonly body?: unknown;
}

export function ok(body: unknown, headers?: Record<string, string>): HttpResponse {
  return { statusCode: 200, body, ...(headers ? { headers } : {}) };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function entryBody(entry: LiveEntry) {
  return {
    name: entry.name,
    value: new RawJson(entry.value),
    version: entry.version,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
  };
}

export function historyEventBody(event: ConfigEvent) {
  return {
    version: event.version,
    type: event.type,
    ...(event.type === 'ConfigValueSet' ? { value: new RawJson(event.value) } : {}),
    occurredAt: event.occurredAt,
    actor: event.actor,
    ...(event.comment === undefined ? {} : { comment: event.comment }),
    ...(event.restoredVersion === undefined ? {} : { restoredVersion: event.restoredVersion }),
  };
}
