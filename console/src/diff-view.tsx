import { api } from './api.ts';
import type { HistoryEvent } from './api-types.ts';
import { pretty, writeJson } from './json-text.ts';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';

interface Props {
  name: string;
  from: number;
  to: number;
  events: HistoryEvent[];
}

function stateAt(events: HistoryEvent[], version: number): string {
  const event = events.find((e) => e.version === version);
  if (!event || event.type === 'ConfigValueDeleted') return '(deleted)';
  return pretty(event.value);
}

/** Two versions side by side, and the API's JSON Patch between them as an inline list. */
export function DiffView({ name, from, to, events }: Props) {
  const diff = useLoad(() => api.diff(name, from, to), [name, from, to]);
  return (
    <section class="diff" data-testid="diff" aria-label={`Changes from version ${from} to ${to}`}>
      <h3>
        Version {from} → version {to}
      </h3>
      <div class="sides">
        <figure>
          <figcaption>Version {from}</figcaption>
          <pre>{stateAt(events, from)}</pre>
        </figure>
        <figure>
          <figcaption>Version {to}</figcaption>
          <pre>{stateAt(events, to)}</pre>
        </figure>
      </div>
      <Status loading={diff.loading} error={diff.error} />
      {diff.data && diff.data.patch.length === 0 && <p>No difference.</p>}
      <ul class="patch">
        {diff.data?.patch.map((op) => (
          <li key={`${op.op}${op.path}`} class={`op-${op.op}`}>
            <strong>{op.op}</strong> <code>{op.path === '' ? '(whole value)' : op.path}</code>
            {op.op !== 'remove' && <code> = {writeJson(op.value)}</code>}
          </li>
        ))}
      </ul>
    </section>
  );
}
