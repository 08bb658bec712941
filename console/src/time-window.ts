/**
 * The stretch of time the time slider spans: a chosen length ending at the instant it was chosen,
 * in round steps of local time. Instants are epoch milliseconds.
 */
export interface Span {
  readonly id: string;
  readonly label: string;
  readonly ms: number;
  /** An arrow key's move, and the slider's resolution. */
  readonly stepMs: number;
  /** A Page Up / Page Down move. */
  readonly pageMs: number;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The window the page opens with. */
export const defaultSpan: Span = {
  id: 'day',
  label: 'Last day',
  ms: day,
  stepMs: 15 * minute,
  pageMs: 2 * hour,
};

export const spans: readonly Span[] = [
  { id: 'hour', label: 'Last hour', ms: hour, stepMs: minute, pageMs: 10 * minute },
  defaultSpan,
  { id: 'week', label: 'Last week', ms: 7 * day, stepMs: hour, pageMs: day },
  { id: 'month', label: 'Last 30 days', ms: 30 * day, stepMs: hour, pageMs: day },
];

export interface TimeWindow {
  readonly span: Span;
  /** The newest instant the slider reaches: "now" when the window was chosen. */
  readonly end: number;
}

const offsetMs = (instant: number) => -new Date(instant).getTimezoneOffset() * minute;

/** The latest instant at or before `instant` that is a whole number of steps in local time. */
export function alignDown(instant: number, stepMs: number): number {
  const remainder = (instant + offsetMs(instant)) % stepMs;
  return instant - (remainder < 0 ? remainder + stepMs : remainder);
}

/** The earliest instant the window reaches: a round local time, one span before its end. */
export const windowStart = (window: TimeWindow) =>
  alignDown(window.end - window.span.ms, window.span.stepMs);

const clamp = (window: TimeWindow, instant: number) =>
  Math.min(window.end, Math.max(windowStart(window), instant));

export function isInside(window: TimeWindow, instant: number): boolean {
  return instant >= windowStart(window) && instant <= window.end;
}

/**
 * The window to show an instant typed elsewhere: the current one when it holds it, else the
 * shortest at least as long that ends now and holds it; unchanged when none does.
 */
export function fitWindow(current: TimeWindow, instant: number, now: number): TimeWindow {
  if (isInside(current, instant)) return current;
  const fits = spans
    .filter((span) => span.ms >= current.span.ms)
    .map((span) => ({ span, end: now }))
    .find((candidate) => isInside(candidate, instant));
  return fits ?? current;
}

/**
 * Where a key leads: `steps` round steps later (or earlier, when negative), landing on round
 * local times whatever the instant it starts from, and kept inside the window.
 */
export function stepFrom(window: TimeWindow, instant: number, steps: number): number {
  const { stepMs } = window.span;
  const next =
    steps > 0
      ? alignDown(instant, stepMs) + steps * stepMs
      : alignDown(instant - 1, stepMs) + (steps + 1) * stepMs;
  return clamp(window, next);
}

/**
 * Where a dragged thumb settles: on a change within `reachMs` of it, else on the nearest round
 * local time or edge of the window.
 */
export function snap(
  window: TimeWindow,
  instant: number,
  changes: readonly number[],
  reachMs: number,
): number {
  const nearest = (candidates: readonly number[]) =>
    candidates.reduce((best, next) =>
      Math.abs(next - instant) < Math.abs(best - instant) ? next : best,
    );
  const change = changes.length > 0 ? nearest(changes) : undefined;
  if (change !== undefined && Math.abs(change - instant) <= reachMs) return change;
  const round = alignDown(instant, window.span.stepMs);
  return clamp(
    window,
    nearest([round, round + window.span.stepMs, window.end, windowStart(window)]),
  );
}
