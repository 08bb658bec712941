import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters';
import { describe, expect, it } from 'vitest';
import { ConfigLedgerProvider } from '#client/powertools-provider.ts';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api, url } = useLocalStack();

/** A provider on the local stack that records the status of every answer it gets. */
function recordingProvider() {
  const statuses: number[] = [];
  const provider = new ConfigLedgerProvider({
    baseUrl: url(),
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    },
  });
  return { provider, statuses };
}

describe('Class: ConfigLedgerProvider', () => {
  describe('Method: get', () => {
    it('reads an entry as its JSON value, your own last write included, and serves it from the cache within maxAge', async () => {
      await api.put('/config/prov.limits', { value: { rps: 100, burst: [1, 2] } });
      const { provider, statuses } = recordingProvider();

      const first = await provider.get('prov.limits', { maxAge: 60 });
      const cached = await provider.get('prov.limits', { maxAge: 60 });

      expect(first).toEqual({ rps: 100, burst: [1, 2] });
      expect(cached).toEqual(first);
      expect(statuses).toEqual([200]);
    });

    it('asks again with the ETag it has when the cache is bypassed: 304 while unchanged', async () => {
      await api.put('/config/prov.flag', { value: false });
      const { provider, statuses } = recordingProvider();

      await provider.get('prov.flag');
      const unchanged = await provider.get('prov.flag', { forceFetch: true });
      await api.put('/config/prov.flag', { value: true });
      const changed = await provider.get('prov.flag', { forceFetch: true });

      expect(unchanged).toBe(false);
      expect(changed).toBe(true);
      expect(statuses).toEqual([200, 304, 200]);
    });

    it('answers undefined for an absent entry, or throws when asked to', async () => {
      const { provider } = recordingProvider();

      expect(await provider.get('prov.absent')).toBeUndefined();
      await expect(provider.get('prov.absent', { throwOnMissing: true })).rejects.toBeInstanceOf(
        ParameterNotFoundError,
      );
    });
  });

  describe('Method: getMultiple', () => {
    it('reads every entry under a prefix, keyed by the rest of its name, as SSM paths are', async () => {
      await api.put('/config/prov.db.host', { value: 'db.internal' });
      await api.put('/config/prov.db.port', { value: 5432 });
      const { provider } = recordingProvider();

      const db = await provider.getMultiple('prov.db.', { maxAge: 60 });

      expect(db).toEqual({ host: 'db.internal', port: 5432 });
    });
  });
});
