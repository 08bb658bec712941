import { ConfigLedgerError } from '#domain/errors.ts';
import { limits } from '#domain/limits.ts';
import { errorResponse, statusByCode } from './error-response.ts';
import { type HeaderUse, headersOf } from './openapi-headers.ts';
import { schemaRef } from './openapi-schemas.ts';

const kib = (bytes: number) => `${bytes / 1024} KiB`;

/**
 * Every error code the service answers with, and what it means to a client. Their statuses and
 * headers are not written here: they are asked of errorResponse, the one place that maps codes
 * to HTTP (a unit test checks that every code it maps is described here).
 */
export const errorCodes = {
  validation_error:
    'The request breaks a rule of the API (a name, a parameter, a field, a header): `details` names each problem.',
  invalid_json: 'The body is not JSON, is not UTF-8, or nests too deep.',
  forbidden:
    "The caller's access by prefix does not cover this (a name, a prefix, a name in the body, or the route's level): the same answer whether an entry exists or not. Nothing was written.",
  not_found: 'No such entry (never set, or deleted), or no such version of it.',
  revision_not_found: 'A revision that has not happened (yet): `details` has the newest revision.',
  version_conflict:
    "The entry is not at the body's expectedVersion: `currentVersion` says which version it is at. Nothing was written.",
  idempotency_key_in_progress:
    'A request with this Idempotency-Key is still being processed: retry shortly.',
  changeset_conflict:
    'An operation of the changeset does not hold (an expected version, a missing entry or version): `details.failures` lists each with its index and reason. Nothing was written.',
  precondition_failed:
    'If-Match or If-None-Match does not hold: `currentVersion` says which version the entry is at. Nothing was written.',
  value_too_large: `A value over ${kib(limits.valueMaxBytes)} as JSON: \`details\` says which, or how large.`,
  payload_too_large: `A request body over the limit (${kib(limits.requestBodyMaxBytes)} for one entry).`,
  document_too_large: `A document over ${limits.documentMaxBytes / 1024 / 1024} MiB or ${limits.importMaxEntries} entries: go by prefix.`,
  commit_too_large:
    "Changes that together exceed what one commit can hold (DynamoDB's 400 KB item): `details` has the size and the limit. Split them.",
  response_too_large:
    'An answer larger than a response can carry (a patch between two large values): `details` has its size and the limit. Ask for less: points closer together.',
  unsupported_media_type:
    'A body that is not declared as JSON (application/json), or is declared in a charset other than UTF-8.',
  idempotency_key_reused:
    'This Idempotency-Key was already used for a different request: use a new key for a new request.',
  write_contention:
    'Many writers at once: this write gave up without writing anything. Retry after Retry-After.',
  not_caught_up:
    'The read model has not reached the revision this needs yet (it usually takes milliseconds): retry after Retry-After.',
  storage_busy:
    "The database throttled this request past its client's retries (more traffic than the table takes at this moment): nothing is wrong with the request. Retry after Retry-After.",
  storage_unavailable:
    'Local stack only: its storage failed; writes are refused until it is restarted, reads go on.',
  insufficient_storage:
    'Local stack only: its disk is full; writes are refused until space is freed and it is restarted, reads go on.',
  schema_violation:
    'The value breaks a JSON Schema attached to its name or a prefix of it: `details.violations` lists each (a JSON Pointer `path`, a `message` in words, the `schema` as target@version); for several entries (import, changesets) `details.entries` lists them by name. Nothing was written.',
  invalid_schema:
    'A schema that cannot be used: not JSON Schema 2020-12, over the size, nesting or compile-time limits, a $ref outside itself, or a pattern RE2 cannot run.',
  schema_not_met:
    'Existing entries break the schema, so it was not attached: `details.entries` lists them. Fix them, or attach with force=true.',
  internal_error: 'A fault on our side: quote the request id (X-Request-Id) when reporting it.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An error the server answers for any code the mapping does not know. */
const unmappedCode: ErrorCode = 'internal_error';

/** A stand-in for any error with a given code, to ask errorResponse how it is answered. */
class SampleError extends ConfigLedgerError {
  constructor(readonly code: string) {
    super(code);
  }
}

/** The status and headers the server answers a code with, as errorResponse decides them. */
function answerTo(code: ErrorCode): { status: number; retryAfter: boolean } {
  if (!(code in statusByCode)) return { status: 500, retryAfter: false };
  const answer = errorResponse(new SampleError(code), 'openapi');
  return { status: answer.statusCode, retryAfter: 'retry-after' in (answer.headers ?? {}) };
}

export function statusOf(code: ErrorCode): number {
  return answerTo(code).status;
}

export interface ErrorResponse {
  /** The name of the response in components.responses. */
  readonly name: string;
  readonly response: Record<string, unknown>;
}

/**
 * An operation's error responses, one per status, each naming the codes it can carry. Codes
 * are in the order of errorCodes, so that one set of codes always gets one name.
 */
export function errorResponsesFor(codes: readonly ErrorCode[]): Map<number, ErrorResponse> {
  const wanted = new Set<ErrorCode>([...codes, unmappedCode]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(errorCodes) as ErrorCode[]) {
    if (!wanted.has(code)) continue;
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map(
    [...byStatus].map(([status, group]) => [
      status,
      { name: group.map(pascalCase).join('Or'), response: errorResponseOf(group) },
    ]),
  );
}

function errorResponseOf(codes: readonly ErrorCode[]): Record<string, unknown> {
  const retrying = codes.filter((code) => answerTo(code).retryAfter);
  const retryAfter: HeaderUse[] =
    retrying.length === 0
      ? []
      : retrying.length === codes.length
        ? ['RetryAfter']
        : [{ header: 'RetryAfter', when: `With ${inWords(retrying)}.` }];
  return {
    description:
      codes.length === 1
        ? `\`${codes[0]}\`: ${errorCodes[codes[0] as ErrorCode]}`
        : codes.map((code) => `- \`${code}\`: ${errorCodes[code]}`).join('\n'),
    headers: headersOf(['XRequestId', 'CacheControl', ...retryAfter]),
    content: {
      'application/json': {
        schema: {
          allOf: [
            schemaRef('Error'),
            {
              type: 'object',
              properties: { error: { type: 'string', enum: codes } },
              required: ['error'],
            },
          ],
        },
      },
    },
  };
}

function pascalCase(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** `a`, `a and b`, `a, b and c`. */
function inWords(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
