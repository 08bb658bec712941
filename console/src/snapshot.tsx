import { api } from './api.ts';
import type { Entry } from './api-types.ts';
import { EntryTable } from './entry-list.tsx';
import { Instant } from './instant-view.tsx';
import { pretty } from './json-text.ts';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';

/** Every page of the configuration at an instant (names absent then are skipped by the API). */
async function wholeConfigAt(at: string, prefix: string): Promise<Entry[]> {
  const items: Entry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.list({ at, prefix, limit: 1000, nextToken });
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

export function Snapshot({ at, prefix }: { at: string; prefix: string }) {
  const snapshot = useLoad(() => wholeConfigAt(at, prefix), [at, prefix]);
  return (
    <section class="card" data-testid="snapshot">
      <h2>
        Configuration at <Instant at={at} />
      </h2>
      <Status loading={snapshot.loading} error={snapshot.error} />
      {snapshot.data && (
        <>
          <EntryTable items={snapshot.data} empty="Nothing existed then." />
          <details>
            <summary>Values</summary>
            <pre>{pretty(Object.fromEntries(snapshot.data.map((e) => [e.name, e.value])))}</pre>
          </details>
        </>
      )}
    </section>
  );
}
