import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { CurrentEntry } from './current-entry.tsx';
import { HistoryPanel } from './history-panel.tsx';
import { NameText } from './name-text.tsx';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';

/** One entry: its current value to read (edit and delete on demand), then its whole history. */
export function EntryPage({ name }: { name: string }) {
  // Bumped after every write from this page, so the entry and its history load again.
  const [revision, setRevision] = useState(0);
  const changed = () => setRevision((n) => n + 1);
  const entry = useLoad(
    () =>
      api.get(name).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }),
    [name, revision],
  );
  const current = entry.data;
  return (
    <section>
      <h1 class="name" aria-label={name}>
        <NameText name={name} />
      </h1>
      <Status loading={entry.loading} error={entry.error} />
      {!entry.loading && !entry.error && !current && (
        <p class="notice">
          This entry does not exist now (never created, or deleted). Its history, if any, is below.
        </p>
      )}
      {current && <CurrentEntry entry={current} onChanged={changed} />}
      <HistoryPanel name={name} revision={revision} onReverted={changed} />
    </section>
  );
}
