/**
 * `<input type="datetime-local">` speaks local time without a zone; the API wants ISO-8601 with
 * one. Both directions, to the millisecond.
 */
export function toIso(local: string): string | undefined {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toLocalInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 23);
}

const dayAndMinute = {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
} as const;
const shortClock = new Intl.DateTimeFormat(undefined, dayAndMinute);
const clock = new Intl.DateTimeFormat(undefined, { ...dayAndMinute, weekday: 'short' });
const clockSeconds = new Intl.DateTimeFormat(undefined, {
  ...dayAndMinute,
  weekday: 'short',
  second: '2-digit',
});
const clockMilliseconds = new Intl.DateTimeFormat(undefined, {
  ...dayAndMinute,
  weekday: 'short',
  second: '2-digit',
  fractionalSecondDigits: 3,
});

/**
 * An instant for a person, in local time, only as precise as it needs to be: "Thu, Nov 27,
 * 10:15 AM", with seconds or milliseconds when it has them.
 */
export function readable(instant: number): string {
  if (instant % 1000 !== 0) return clockMilliseconds.format(instant);
  return instant % 60_000 === 0 ? clock.format(instant) : clockSeconds.format(instant);
}

/** The browser's time zone, which every time on the console's pages is shown in. */
export const localZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

const dateAndSecond = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
} as const;
const zonedSeconds = new Intl.DateTimeFormat(undefined, dateAndSecond);
const zonedMilliseconds = new Intl.DateTimeFormat(undefined, {
  ...dateAndSecond,
  fractionalSecondDigits: 3,
});

/**
 * An instant in the browser's zone, naming the zone, to the second (to the millisecond when it
 * has them, as the date-time fields do): "Nov 27, 2026, 3:45:07.123 PM GMT+5:30".
 */
export function localTime(instant: number): string {
  return (instant % 1000 === 0 ? zonedSeconds : zonedMilliseconds).format(instant);
}

/** An instant in few words, to the minute: "Nov 27, 10:15 AM". */
export const brief = (instant: number): string => shortClock.format(instant);

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** How long before (or after) `now` an instant is, roughly: "now", "5 minutes ago", "3 days ago". */
export function ago(instant: number, now: number): string {
  const seconds = Math.round((instant - now) / 1000);
  if (Math.abs(seconds) < 45) return relative.format(0, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}
