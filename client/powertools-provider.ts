import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import type {
  GetMultipleOptionsInterface,
  GetOptionsInterface,
} from '@aws-lambda-powertools/parameters/base/types';
import { ConfigLedgerClient } from './config-client.ts';
import { NotFoundError } from './errors.ts';
import type { HttpClientOptions } from './http.ts';

/** What `sdkOptions` may say to this provider on `get`. */
export interface ConfigLedgerGetOptions {
  /**
   * Default true: every change acknowledged before the request, as getMultiple's listing shows.
   * False reads as far as the projector has got (milliseconds behind, one read fewer).
   */
  readonly consistent?: boolean;
}

/**
 * config-ledger entries through Powertools Parameters, read the way Lambda functions read SSM or
 * AppConfig ones, with Powertools' cache (`maxAge`, default 5 s; `forceFetch`):
 *
 *   const provider = new ConfigLedgerProvider({ baseUrl, auth: sigv4Auth(region) });
 *   const timeout = await provider.get('payments.timeout_ms', { maxAge: 60 });
 *   const payments = await provider.getMultiple('payments.'); // { timeout_ms: 2500, retries: 3 }
 *
 * Values come as the JSON values they are. When the cache expires, an entry is read again with
 * the ETag of the copy the provider has: unchanged, the API answers 304 with no body. As with
 * SSM's paths, getMultiple's keys are the names less the prefix.
 */
export class ConfigLedgerProvider extends BaseProvider {
  readonly ledger: ConfigLedgerClient;
  /** The last value read of each name, by its ETag, for conditional reads. */
  private readonly lastRead = new Map<string, { readonly etag: string; readonly value: unknown }>();

  constructor(options: HttpClientOptions | { readonly client: ConfigLedgerClient }) {
    super({});
    this.ledger = 'client' in options ? options.client : new ConfigLedgerClient(options);
  }

  protected async _get(name: string, options?: GetOptionsInterface): Promise<unknown> {
    const sdkOptions = options?.sdkOptions as ConfigLedgerGetOptions | undefined;
    const known = this.lastRead.get(name);
    try {
      const read = await this.ledger.get(name, {
        consistent: sdkOptions?.consistent ?? true,
        ifNoneMatch: known?.etag,
      });
      if (read.kind === 'notModified' && known) return known.value;
      if (read.kind === 'notModified') throw new TypeError(`A 304 for ${name}, never asked for.`);
      this.lastRead.set(name, { etag: read.etag, value: read.entry.value });
      return read.entry.value;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      this.lastRead.delete(name);
      return undefined;
    }
  }

  protected async _getMultiple(
    prefix: string,
    _options?: GetMultipleOptionsInterface,
  ): Promise<Record<string, unknown>> {
    const { result } = await this.ledger.listAll({ prefix });
    return Object.fromEntries(
      result.map((entry) => [entry.name.slice(prefix.length), entry.value]),
    );
  }
}
