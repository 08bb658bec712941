import { ValidationError } from './errors.ts';

/**
 * Instants are stored as ISO-8601 UTC with milliseconds (`2026-02-12T10:00:00.000Z`): fixed
 * width, so their string order is their time order and DynamoDB can range-query them.
 */
export type Instant = string;

const isoWithZone =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instants whose text is fixed width: four-digit years in UTC. */
const earliestMs = Date.parse('0000-01-01T00:00:00.000Z');
const latestMs = Date.parse('9999-12-31T23:59:59.999Z');

export function formatInstant(epochMs: number): Instant {
  return new Date(epochMs).toISOString();
}

/**
 * The instant of the next commit: its clock reading, but never before the previous commit's, so
 * that instants never decrease along the order of revisions, even across skewed clocks. Time
 * travel relies on it: the revision current at an instant is found by searching the log.
 */
export function nextCommitInstant(nowMs: number, previous: Instant | undefined): Instant {
  const floor = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous);
  return formatInstant(Math.max(nowMs, floor));
}

/**
 * Reads a caller's instant (any zone, seconds and fractions optional) as a stored instant.
 * Sub-millisecond digits are truncated: an event stored at .123 is "at or before" .1239.
 */
export function parseInstant(text: string): Instant {
  const match = isoWithZone.exec(text);
  const epochMs = match ? Date.parse(withMillisecondsOnly(text, match[7])) : Number.NaN;
  if (!match || Number.isNaN(epochMs) || !isRealCalendarDate(match)) {
    throw new ValidationError(
      `'${text}' is not an ISO-8601 timestamp with a zone, such as 2026-02-12T10:00:00Z.`,
    );
  }
  return storable(text, epochMs);
}

/**
 * Reads a caller's instant as the start of a range ("at or after"): sub-millisecond digits round
 * up, so that an event stored at .123 is not taken as "at or after" .1231.
 */
export function parseInstantRoundingUp(text: string): Instant {
  const instant = parseInstant(text);
  const beyondMilliseconds = isoWithZone.exec(text)?.[7]?.slice(3) ?? '';
  if (!/[1-9]/.test(beyondMilliseconds)) return instant;
  return storable(text, Date.parse(instant) + 1);
}

/**
 * A zone can carry 9999-12-31 or 0000-01-01 over into a year whose text is wider (+010000-…,
 * -000001-…) and would no longer sort by time against stored instants: refused.
 */
function storable(text: string, epochMs: number): Instant {
  if (epochMs < earliestMs || epochMs > latestMs) {
    throw new ValidationError(`'${text}' is outside the years 0000 to 9999 in UTC.`);
  }
  return formatInstant(epochMs);
}

function withMillisecondsOnly(text: string, fraction: string | undefined): string {
  if (fraction === undefined || fraction.length <= 3) return text;
  return text.replace(`.${fraction}`, `.${fraction.slice(0, 3)}`);
}

function isRealCalendarDate(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  return (
    date.getUTCMonth() === (month ?? 0) - 1 &&
    date.getUTCDate() === day &&
    (hour ?? 0) < 24 &&
    (minute ?? 0) < 60 &&
    (second ?? 0) < 60
  );
}
