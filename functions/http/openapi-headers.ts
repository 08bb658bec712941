import { limits } from '#domain/limits.ts';

/**
 * The HTTP headers of the API, as the OpenAPI document names them (components.headers and the
 * header parameters of components.parameters). Header names are case-insensitive; the server
 * sends them in lower case.
 */

type HeaderObject = {
  readonly description: string;
  readonly required: boolean;
  readonly schema: Record<string, unknown>;
};

/** Response headers, by component name: the header's name, and its description. */
export const responseHeaders = {
  XRequestId: [
    'X-Request-Id',
    {
      description:
        "This request's id, on every answer of the service: quote it when reporting a problem.",
      required: true,
      schema: { type: 'string' },
    },
  ],
  CacheControl: [
    'Cache-Control',
    {
      description: 'Answers are never cached.',
      required: true,
      schema: { type: 'string', enum: ['no-store'] },
    },
  ],
  ETag: [
    'ETag',
    {
      description:
        'Identifies this answer. An entry\'s is its version, quoted (`"3"`): send it back as If-Match to change only that version. Any other read\'s is `"<revision>.<hash of the body>"` (the hash alone where the answer shows no revision); an export\'s is weak, `W/"<revision>.<hash of the question>"`: the same configuration, though `exportedAt` differs. Send any back as If-None-Match to get 304 while it holds.',
      required: true,
      schema: { type: 'string', pattern: '^(W/)?"[A-Za-z0-9._-]+"$' },
    },
  ],
  ConfigRevision: [
    'Config-Revision',
    {
      description:
        'The revision the answer shows (a read) or made (a write): every change up to it, none after. Pass it as `revision` to read exactly there again.',
      required: true,
      schema: { type: 'integer', minimum: 0 },
    },
  ],
  RetryAfter: [
    'Retry-After',
    {
      description: 'Seconds to wait before retrying; nothing was changed.',
      required: true,
      schema: { type: 'integer', minimum: 0 },
    },
  ],
  IdempotencyReplayed: [
    'Idempotency-Replayed',
    {
      description:
        'Present (`true`) when this answer is the stored answer to an earlier request with the same Idempotency-Key: nothing was changed again.',
      required: false,
      schema: { type: 'boolean' },
    },
  ],
  WwwAuthenticate: [
    'WWW-Authenticate',
    {
      description: "API Gateway's reason for refusing the token.",
      required: true,
      schema: { type: 'string' },
    },
  ],
} as const satisfies Record<string, readonly [string, HeaderObject]>;

export type ResponseHeader = keyof typeof responseHeaders;

/** A header a response carries; `when` says when, for one it does not always carry. */
export type HeaderUse = ResponseHeader | { readonly header: ResponseHeader; readonly when: string };

/** The headers of a response: references to components, or copies that say when they come. */
export function headersOf(uses: readonly HeaderUse[]): Record<string, unknown> {
  return Object.fromEntries(
    uses.map((use) => {
      if (typeof use === 'string') {
        return [responseHeaders[use][0], { $ref: `#/components/headers/${use}` }];
      }
      const [name, header] = responseHeaders[use.header];
      return [
        name,
        { ...header, required: false, description: `${header.description} ${use.when}` },
      ];
    }),
  );
}

export function headerComponents(): Record<string, HeaderObject> {
  return Object.fromEntries(
    Object.entries(responseHeaders).map(([component, [, header]]) => [component, header]),
  );
}

/** Request headers, by component name (components.parameters). */
export const requestHeaders = {
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    description:
      'Only if the entry is at this version: the ETag of a read (`"3"`; `W/"3"` too). Otherwise 412 precondition_failed with currentVersion. Not with If-None-Match; if the body has expectedVersion too, both must agree.',
    schema: { type: 'string', pattern: '^\\s*(W/)?"[0-9]{1,15}"\\s*$' },
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    description:
      '`*`: only if the entry does not exist now (never set, or deleted), as expectedVersion 0. Otherwise 412 precondition_failed. Not with If-Match.',
    schema: { type: 'string', enum: ['*'] },
  },
  IfNoneMatchRead: {
    name: 'If-None-Match',
    in: 'header',
    description:
      'The ETag of an earlier answer (or several, comma-separated; `W/` ignored): while the answer would still carry it, 304 with no body.',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    description:
      'Makes a retry safe: the same request sent again with the same key (by the same caller, to the same method and path, within 24 hours) gets the first answer again, with Idempotency-Replayed, and changes nothing. The same key on a different request: 422 idempotency_key_reused; while the first is still running: 409 idempotency_key_in_progress. Only successful answers are kept: a failed request may be retried for real.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
  XActor: {
    name: 'X-Actor',
    in: 'header',
    description: `Local stack only: who is calling, recorded as the actor of the change (default \`local\`), 1 to ${limits.actorMaxLength} printable characters. A deployment ignores it: there the caller is its IAM principal or its JWT subject, never a header.`,
    schema: { type: 'string', minLength: 1, maxLength: limits.actorMaxLength },
  },
} as const;

export type RequestHeader = keyof typeof requestHeaders;
