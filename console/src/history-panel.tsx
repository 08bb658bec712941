import { useState } from 'preact/hooks';
import { ApiError, api, describeError } from './api.ts';
import type { HistoryEvent } from './api-types.ts';
import { DiffView } from './diff-view.tsx';
import { Instant } from './instant-view.tsx';
import { revertTargets } from './revert-targets.ts';
import { Status } from './status.tsx';
import { useLoad } from './use-load.ts';

interface Props {
  name: string;
  revision: number;
  onReverted: () => void;
}

async function allEvents(name: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let token: string | undefined;
  do {
    const page = await api.history(name, token);
    events.push(...page.events);
    token = page.nextToken;
  } while (token);
  return events;
}

function changeLabel(event: HistoryEvent): string {
  if (event.restoredVersion !== undefined) return `Reverted to version ${event.restoredVersion}`;
  return event.type === 'ConfigValueDeleted' ? 'Deleted' : 'Set';
}

/** Every version, newest first; pick two to compare, or revert to one that restores something. */
export function HistoryPanel({ name, revision, onReverted }: Props) {
  const history = useLoad(
    () =>
      allEvents(name).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }),
    [name, revision],
  );
  const [selected, setSelected] = useState<number[]>([]);
  const [revertError, setRevertError] = useState<string>();
  const toggle = (version: number) =>
    setSelected((now) =>
      now.includes(version) ? now.filter((v) => v !== version) : [...now, version].slice(-2),
    );
  const revert = async (version: number) => {
    setRevertError(undefined);
    try {
      await api.revert(name, {
        toVersion: version,
        comment: `Reverted to version ${version} from the console`,
      });
      onReverted();
    } catch (error) {
      setRevertError(describeError(error));
    }
  };
  const events = [...(history.data ?? [])].reverse();
  const targets = revertTargets(events);
  const [from, to] = [...selected].sort((a, b) => a - b);
  return (
    <section class="card">
      <h2>History</h2>
      <p class="muted">Tick two versions to see what changed between them.</p>
      <Status loading={history.loading} error={history.error ?? revertError} />
      <ol class="timeline">
        {events.map((event) => (
          <li key={event.version} data-testid={`event-${event.version}`}>
            <label class="row">
              <input
                type="checkbox"
                checked={selected.includes(event.version)}
                onChange={() => toggle(event.version)}
              />
              <strong>Version {event.version}</strong>
              <span class="tag">{changeLabel(event)}</span>
            </label>
            <div class="muted">
              <Instant at={event.occurredAt} /> by <span class="actor">{event.actor}</span>
            </div>
            {event.comment && <div>“{event.comment}”</div>}
            {targets.has(event.version) && (
              <button type="button" onClick={() => revert(event.version)}>
                Revert to version {event.version}
              </button>
            )}
          </li>
        ))}
      </ol>
      {from !== undefined && to !== undefined && (
        <DiffView name={name} from={from} to={to} events={history.data ?? []} />
      )}
    </section>
  );
}
