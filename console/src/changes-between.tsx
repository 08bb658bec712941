import { api } from './api.ts';
import type { NamesDiff } from './api-types.ts';
import { Instant } from './instant-view.tsx';
import { EntryLink } from './name-text.tsx';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';

type Change = NamesDiff['changes'][number];

async function allChanges(from: string, to: string, prefix: string): Promise<Change[]> {
  // The names diff pages like the list; the console asks for every page.
  const changes: Change[] = [];
  let page = await api.namesDiff(from, to, prefix);
  changes.push(...page.changes);
  while (page.nextToken) {
    page = await api.namesDiff(from, to, prefix, page.nextToken);
    changes.push(...page.changes);
  }
  return changes;
}

function versions(change: Change): string {
  const from = change.fromVersion === undefined ? '—' : `v${change.fromVersion}`;
  const to = change.toVersion === undefined ? '—' : `v${change.toVersion}`;
  return `${from} → ${to}`;
}

export function ChangesBetween({ from, to, prefix }: { from: string; to: string; prefix: string }) {
  const diff = useLoad(() => allChanges(from, to, prefix), [from, to, prefix]);
  return (
    <section class="card" data-testid="changes">
      <h2>
        What changed from <Instant at={from} /> to <Instant at={to} />
      </h2>
      <Status loading={diff.loading} error={diff.error} />
      {diff.data?.length === 0 && <p class="muted">Nothing changed.</p>}
      <ul class="patch">
        {diff.data?.map((change) => (
          <li key={change.name} class={`change-${change.change}`}>
            <EntryLink name={change.name} /> {change.change} ({versions(change)})
          </li>
        ))}
      </ul>
    </section>
  );
}
