import { useState } from 'preact/hooks';
import { api } from './api.ts';
import type { Entry } from './api-types.ts';
import { Instant } from './instant-view.tsx';
import { EntryLink } from './name-text.tsx';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';
import { valuePreview } from './value-preview.ts';

export const pageSize = 25;

/** Live entries under a prefix, a page at a time. */
export function EntryList() {
  const [draft, setDraft] = useState('');
  const [prefix, setPrefix] = useState('');
  // Tokens of the pages before this one, so Previous works without the API going backwards.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const list = useLoad(
    () => api.list({ prefix, limit: pageSize, nextToken: token }),
    [prefix, token],
  );
  const search = (event: Event) => {
    event.preventDefault();
    setPrefix(draft.trim());
    setTokens([undefined]);
  };
  const next = list.data?.nextToken;
  return (
    <section>
      <h1>Entries</h1>
      <form class="row" onSubmit={search}>
        <label for="prefix">Name prefix</label>
        <input
          id="prefix"
          value={draft}
          placeholder="payments."
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      <Status loading={list.loading} error={list.error} />
      {list.data && (
        <EntryTable
          items={list.data.items}
          empty={prefix ? `No entry starts with “${prefix}”.` : 'No entries yet.'}
        />
      )}
      <div class="row">
        <button
          type="button"
          disabled={tokens.length === 1}
          onClick={() => setTokens(tokens.slice(0, -1))}
        >
          Previous page
        </button>
        <span>Page {tokens.length}</span>
        <button type="button" disabled={!next} onClick={() => setTokens([...tokens, next])}>
          Next page
        </button>
      </div>
    </section>
  );
}

/**
 * Entries as a table: each name, a one-line preview of its value, its version, when and by whom.
 * On a phone each row becomes a small card (styles.css), so no column is cut off.
 */
export function EntryTable({ items, empty }: { items: Entry[]; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table class="entries">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
          <th scope="col">Version</th>
          <th scope="col">Updated</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {items.map((entry) => (
          <tr key={entry.name}>
            <td class="name">
              <EntryLink name={entry.name} />
            </td>
            <td class="preview">
              <code data-testid="preview">{valuePreview(entry.value)}</code>
            </td>
            <td class="version">
              <span class="phone-only">v</span>
              {entry.version}
            </td>
            <td class="updated">
              <Instant at={entry.updatedAt} />
            </td>
            <td class="by">
              <span class="phone-only">by </span>
              {entry.updatedBy}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
