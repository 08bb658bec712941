import { createHash } from 'node:crypto';
import type { LiveEntry } from '#domain/entry.ts';
import type { ConfigEvent, Revision } from '#domain/events.ts';
import { RawJson } from '#domain/json.ts';

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON; RawJson parts are spliced in verbatim. */
  readonly body?: unknown;
}

/** The response header that says which revision a read shows, or a write made. */
export const revisionHeader = 'config-revision';

export function ok(body: unknown, headers?: Record<string, string>): HttpResponse {
  return { statusCode: 200, body, ...(headers ? { headers } : {}) };
}

/** A response that shows the ledger at a revision: says so in the Config-Revision header. */
export function atRevision(
  revision: Revision,
  body: unknown,
  options: { statusCode?: number; headers?: Record<string, string> } = {},
): HttpResponse {
  return {
    statusCode: options.statusCode ?? 200,
    headers: { [revisionHeader]: String(revision), ...options.headers },
    body,
  };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * A weak ETag for an answer whose content is fixed by the revision and the question alone, but
 * whose bytes are not (an export's `exportedAt`): the same configuration, not the same bytes.
 */
export function weakEtagOf(revision: number, question: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(question)).digest('base64url');
  return `W/"${revision}.${hash.slice(0, 22)}"`;
}

export function entryBody(entry: LiveEntry) {
  return {
    name: entry.name,
    value: new RawJson(entry.value),
    version: entry.version,
    revision: entry.revision,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
    ...(entry.hash === undefined ? {} : { hash: entry.hash }),
  };
}

export function historyEventBody(event: ConfigEvent) {
  return {
    version: event.version,
    revision: event.revision,
    type: event.type,
    ...(event.type === 'ConfigValueSet' ? { value: new RawJson(event.value) } : {}),
    occurredAt: event.occurredAt,
    actor: event.actor,
    ...(event.comment === undefined ? {} : { comment: event.comment }),
    ...(event.restoredVersion === undefined ? {} : { restoredVersion: event.restoredVersion }),
    ...(event.previousHash === undefined ? {} : { previousHash: event.previousHash }),
    ...(event.hash === undefined ? {} : { hash: event.hash }),
  };
}

/** An event as the change feed shows it: with its name. */
export function changeBody(event: ConfigEvent) {
  return { name: event.name, ...historyEventBody(event) };
}
