import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  describeMark,
  describeUnread,
  type FeedRead,
  feedChangesSince,
  type Mark,
  markAfter,
  markBefore,
  marksBetween,
} from './change-marks.ts';
import { Ticks } from './change-ticks.tsx';
import { ago, brief, readable } from './instant.ts';
import {
  defaultSpan,
  fitWindow,
  isInside,
  snap,
  spans,
  stepFrom,
  type TimeWindow,
  windowStart,
} from './time-window.ts';
import { useLoad } from './use-load.ts';

interface Props {
  /** The instant in the date-time field; undefined while it holds no full date and time. */
  readonly at: number | undefined;
  readonly prefix: string;
  /** An instant chosen here; `settle` when more may follow at once (keys held, a drag). */
  readonly onPick: (instant: number, settle: boolean) => void;
}

/** How close, in pixels, a dragged thumb must come to a change to land on it. */
const reachPx = 8;

const keySteps: Record<string, number> = {
  ArrowRight: 1,
  ArrowUp: 1,
  ArrowLeft: -1,
  ArrowDown: -1,
};

/**
 * A range input over a window of time ending now: dragging shows the instant under the thumb and
 * picks it on release; the keys move by round steps; changes are marked, and one click away.
 */
export function TimeSlider({ at, prefix, onPick }: Props) {
  const [view, setView] = useState<TimeWindow>(() => ({ span: defaultSpan, end: Date.now() }));
  const [dragged, setDragged] = useState<number>();
  // A new instant in the field ends any drag, and moves the window to one that shows it.
  useEffect(() => {
    setDragged(undefined);
    if (at !== undefined) setView((current) => fitWindow(current, at, Date.now()));
  }, [at]);
  const start = windowStart(view);
  const feed = useLoad(() => feedChangesSince(start), [start, view.end]);
  const marks = useMemo(
    () => marksBetween(feed.data?.changes ?? [], prefix, start, view.end),
    [feed.data, prefix, start, view.end],
  );
  const shown = dragged ?? at;
  const fromThumb = (input: HTMLInputElement) => {
    const reachMs = ((view.end - start) * reachPx) / Math.max(input.clientWidth, 1);
    const changes = marks.map((mark) => mark.at);
    return snap(view, Number(input.value), changes, reachMs);
  };
  const pick = (instant: number, settle: boolean) => {
    setDragged(undefined);
    onPick(instant, settle);
  };
  /** Where a key leads: Home and End to the window's ends, the others by round steps. */
  const keyTarget = (key: string): number | undefined => {
    if (key === 'Home') return start;
    if (key === 'End') return view.end;
    const pageSteps = Math.round(view.span.pageMs / view.span.stepMs);
    const steps = keySteps[key] ?? { PageUp: pageSteps, PageDown: -pageSteps }[key];
    return steps === undefined || shown === undefined ? undefined : stepFrom(view, shown, steps);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const target = keyTarget(event.key);
    if (target === undefined) return;
    event.preventDefault();
    pick(target, true);
  };
  const now = () => {
    const end = Date.now();
    setView({ span: view.span, end });
    pick(end, false);
  };
  const here = marks.find((mark) => mark.at === shown);
  const words = describe(view, shown, here);
  return (
    <div class="slider">
      <div class="row spread">
        <label for="tt-slider">Scrub through time</label>
        <span class="row">
          <label for="tt-window">Window</label>
          <select
            id="tt-window"
            value={view.span.id}
            onChange={(event) => {
              const span = spans.find((s) => s.id === event.currentTarget.value) ?? defaultSpan;
              setView({ span, end: Date.now() });
            }}
          >
            {spans.map((span) => (
              <option key={span.id} value={span.id}>
                {span.label}
              </option>
            ))}
          </select>
        </span>
      </div>
      <input
        id="tt-slider"
        type="range"
        min={start}
        max={view.end}
        step="any"
        value={Math.min(view.end, Math.max(start, shown ?? view.end))}
        aria-valuetext={words.join(', ')}
        aria-describedby="tt-marks"
        onInput={(event) => setDragged(fromThumb(event.currentTarget))}
        onChange={(event) => pick(fromThumb(event.currentTarget), true)}
        onKeyDown={onKeyDown}
        onBlur={() => setDragged(undefined)}
      />
      <Ticks marks={marks} start={start} end={view.end} shown={shown} />
      <div class="ends muted" aria-hidden="true">
        <span>{brief(start)}</span>
        <span>{brief(view.end)}</span>
      </div>
      <p class="scrub">
        <strong>{words[0]}</strong>
        <span>{words.slice(1).join(' · ') || '\u00a0'}</span>
      </p>
      <div class="row">
        <MarkButton
          label="← Previous change"
          mark={shown === undefined ? undefined : markBefore(marks, shown)}
          onPick={pick}
        />
        <MarkButton
          label="Next change →"
          mark={shown === undefined ? undefined : markAfter(marks, shown)}
          onPick={pick}
        />
        <button type="button" onClick={now}>
          Now
        </button>
      </div>
      <p id="tt-marks" class="muted marks-summary">
        {summary(feed, marks, view, prefix)}
      </p>
    </div>
  );
}

/** The instant in words: when it is, how long ago, and what changed right then. */
function describe(view: TimeWindow, shown: number | undefined, here: Mark | undefined): string[] {
  if (shown === undefined) return ['Type a full date and time, or move the slider.'];
  const notes = [readable(shown), ago(shown, Date.now())];
  const outside = shown > view.end ? 'after this window' : 'before this window';
  if (!isInside(view, shown)) notes.push(outside);
  if (here) notes.push(`changed: ${describeMark(here)}`);
  return notes;
}

function summary(
  feed: { data: FeedRead | undefined; loading: boolean; error: string | undefined },
  marks: readonly Mark[],
  view: TimeWindow,
  prefix: string,
): string {
  if (feed.error) return `Changes are not marked: ${feed.error}`;
  if (feed.loading) return 'Looking for changes…';
  const count = marks.reduce((sum, mark) => sum + mark.changes.length, 0);
  const under = prefix ? ` under “${prefix}”` : '';
  const span = view.span.label.toLowerCase();
  const changes = count === 1 ? '1 change' : `${count} changes`;
  const found =
    count === 0
      ? `No changes${under} in the ${span}.`
      : `${changes}${under} in the ${span}, marked under the slider.`;
  const unread = feed.data && describeUnread(feed.data);
  return unread ? `${found} ${unread}` : found;
}

function MarkButton(props: {
  label: string;
  mark: Mark | undefined;
  onPick: (instant: number, settle: boolean) => void;
}) {
  const { label, mark, onPick } = props;
  return (
    <button type="button" disabled={!mark} onClick={() => mark && onPick(mark.at, false)}>
      {label}
    </button>
  );
}
