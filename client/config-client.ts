import { UnexpectedResponseError } from './errors.ts';
import { type ApiResponse, HttpClient, type HttpClientOptions, pathOf } from './http.ts';
import {
  type ChangePage,
  changePageSchema,
  type Deletion,
  decode,
  deletionSchema,
  type Entry,
  type EntryPage,
  entryPageSchema,
  entrySchema,
} from './responses.ts';

/** Something the API answered, and the revision it shows or the write made. */
export interface AtRevision<T> {
  readonly revision: number;
  readonly result: T;
}

/** Which point a read of one entry shows; see docs/api.md. */
export interface ReadOptions {
  /** Every change acknowledged before the request (else: as far as the projector has got). */
  readonly consistent?: boolean;
  /** Exactly revision R. */
  readonly revision?: number;
  /** The ETag of the copy you have: if it still holds, the answer is `notModified`. */
  readonly ifNoneMatch?: string;
}

export type EntryRead =
  | {
      readonly kind: 'entry';
      readonly entry: Entry;
      readonly etag: string;
      readonly revision: number;
    }
  | { readonly kind: 'notModified'; readonly etag: string; readonly revision: number };

export interface WriteOptions {
  /** Only if the entry is still at this version (0: only if it does not exist). */
  readonly expectedVersion?: number;
  /** Why: recorded with the change. */
  readonly comment?: string;
  /** Default: one made by the client, the same on each retry. */
  readonly idempotencyKey?: string;
}

export interface ListOptions {
  readonly prefix?: string;
  readonly limit?: number;
  readonly revision?: number;
  readonly nextToken?: string;
}

export type ChangesOptions = (
  | {
      /** The revision you have: changes after it come. */
      readonly after: number;
    }
  | {
      /** The first change at or after this instant (ISO 8601 with a zone) comes first. */
      readonly since: string;
    }
) & {
  readonly limit?: number;
  /** Long poll: wait up to this many seconds (≤ 20) for a change when there is none. */
  readonly waitSeconds?: number;
  readonly signal?: AbortSignal;
};

/** The API's time to answer a long poll, beyond the wait itself. */
const longPollMarginMs = 10_000;

/**
 * The config-ledger API, typed: reads, writes and the change feed. Errors are those of
 * errors.ts; retries, auth and Idempotency-Keys are the HttpClient's. For an application that
 * reads its configuration, `ConfigReader` (config-reader.ts) keeps a snapshot on top of this.
 */
export class ConfigLedgerClient {
  readonly http: HttpClient;

  constructor(options: HttpClientOptions | { readonly http: HttpClient }) {
    this.http = 'http' in options ? options.http : new HttpClient(options);
  }

  async get(name: string, options: ReadOptions = {}): Promise<EntryRead> {
    const response = await this.http.send({
      method: 'GET',
      path: pathOf('config', name),
      query: { consistent: options.consistent ? 'true' : undefined, revision: options.revision },
      headers: { 'if-none-match': options.ifNoneMatch },
    });
    const etag = response.headers.get('etag') ?? '';
    const revision = revisionOf(response);
    if (response.status === 304) return { kind: 'notModified', etag, revision };
    return { kind: 'entry', entry: decode(entrySchema, response.text), etag, revision };
  }

  async put(name: string, value: unknown, options: WriteOptions = {}): Promise<AtRevision<Entry>> {
    const response = await this.http.send({
      method: 'PUT',
      path: pathOf('config', name),
      body: JSON.stringify({
        value,
        expectedVersion: options.expectedVersion,
        comment: options.comment,
      }),
      headers: { 'idempotency-key': options.idempotencyKey },
    });
    return { revision: revisionOf(response), result: decode(entrySchema, response.text) };
  }

  async delete(name: string, options: WriteOptions = {}): Promise<AtRevision<Deletion>> {
    const response = await this.http.send({
      method: 'DELETE',
      path: pathOf('config', name),
      body: JSON.stringify({ expectedVersion: options.expectedVersion, comment: options.comment }),
      headers: { 'idempotency-key': options.idempotencyKey },
    });
    return { revision: revisionOf(response), result: decode(deletionSchema, response.text) };
  }

  /** One page of the live entries under a prefix, in name order. */
  async list(options: ListOptions = {}): Promise<EntryPage> {
    const response = await this.http.send({
      method: 'GET',
      path: '/config',
      query: {
        prefix: options.prefix || undefined,
        limit: options.limit,
        revision: options.revision,
        nextToken: options.nextToken,
      },
    });
    return decode(entryPageSchema, response.text);
  }

  /**
   * Every live entry under a prefix at one revision: the first page fixes the revision, and each
   * next page is asked with its token, which the API binds to that revision.
   */
  async listAll(options: Omit<ListOptions, 'nextToken'> = {}): Promise<AtRevision<Entry[]>> {
    const first = await this.list({ ...options, limit: options.limit ?? 1000 });
    const entries = [...first.items];
    for (let token = first.nextToken; token !== undefined; ) {
      const page = await this.list({ ...options, limit: options.limit ?? 1000, nextToken: token });
      if (page.revision !== first.revision) {
        throw new UnexpectedResponseError(
          `A listing's pages showed revisions ${first.revision} and ${page.revision}.`,
        );
      }
      entries.push(...page.items);
      token = page.nextToken;
    }
    return { revision: first.revision, result: entries };
  }

  /** The changes after a revision, in revision order; with `waitSeconds`, a long poll. */
  async changes(options: ChangesOptions): Promise<ChangePage> {
    const waitSeconds = options.waitSeconds ?? 0;
    const response = await this.http.send({
      method: 'GET',
      path: '/changes',
      query: {
        ...('after' in options ? { after: options.after } : { since: options.since }),
        limit: options.limit,
        wait: waitSeconds || undefined,
      },
      timeoutMs: waitSeconds * 1000 + longPollMarginMs,
      signal: options.signal,
    });
    return decode(changePageSchema, response.text);
  }
}

function revisionOf(response: ApiResponse): number {
  if (response.revision === undefined) {
    throw new UnexpectedResponseError('The API answered without a Config-Revision header.');
  }
  return response.revision;
}
