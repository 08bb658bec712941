import { useEffect, useRef, useState } from 'preact/hooks';
import { ChangesBetween } from './changes-between.tsx';
import { localZone, toIso, toLocalInput } from './instant.ts';
import { Snapshot } from './snapshot.tsx';
import { TimeSlider } from './time-slider.tsx';

/** How long the slider must rest before its instant is loaded: held keys ask once, not per step. */
const settleMs = 250;

/** The whole configuration (or a prefix) at an instant, and what changed between two. */
export function TimeTravel() {
  const [at, setAt] = useState(() => toLocalInput(new Date()));
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 3_600_000)));
  const [prefix, setPrefix] = useState('');
  const [query, setQuery] = useState<{ at: string; since: string; prefix: string }>();
  const [error, setError] = useState<string>();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  const show = (atLocal: string) => {
    clearTimeout(pending.current);
    const atIso = toIso(atLocal);
    const sinceIso = toIso(since);
    if (!atIso || !sinceIso) return setError('Both instants must be full dates and times.');
    setError(undefined);
    setQuery({ at: atIso, since: sinceIso, prefix: prefix.trim() });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    show(at);
  };
  /** The slider moves the field at once, and the configuration shown once it rests. */
  const pick = (instant: number, settle: boolean) => {
    const atLocal = toLocalInput(new Date(instant));
    setAt(atLocal);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => show(atLocal), settle ? settleMs : 0);
  };
  const atIso = toIso(at);
  return (
    <section>
      <h1>Time travel</h1>
      <p class="muted" data-testid="zone">
        Times are in your time zone, {localZone}, in the fields and on the page alike; hover over a
        time shown to see it in UTC.
      </p>
      <form class="stack" onSubmit={submit}>
        <label for="tt-at">Show the configuration at (your local time)</label>
        <input
          id="tt-at"
          type="datetime-local"
          step="0.001"
          required
          value={at}
          onInput={(e) => setAt(e.currentTarget.value)}
        />
        <TimeSlider
          at={atIso === undefined ? undefined : Date.parse(atIso)}
          prefix={prefix.trim()}
          onPick={pick}
        />
        <label for="tt-since">Compare with an earlier instant</label>
        <input
          id="tt-since"
          type="datetime-local"
          step="0.001"
          required
          value={since}
          onInput={(e) => setSince(e.currentTarget.value)}
        />
        <label for="tt-prefix">Name prefix (optional)</label>
        <input id="tt-prefix" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
        <button type="submit">Show</button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {query && (
        <>
          <Snapshot at={query.at} prefix={query.prefix} />
          <ChangesBetween from={query.since} to={query.at} prefix={query.prefix} />
        </>
      )}
    </section>
  );
}
