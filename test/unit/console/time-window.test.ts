import { describe, expect, it } from 'vitest';
import {
  alignDown,
  defaultSpan,
  fitWindow,
  snap,
  spans,
  stepFrom,
  type TimeWindow,
  windowStart,
} from '#console/time-window.ts';

/** A local time on 27 November 2026, whatever the machine's zone: the slider speaks local time. */
const local = (hours: number, minutes: number, seconds = 0, ms = 0) =>
  new Date(2026, 10, 27, hours, minutes, seconds, ms).getTime();
const minute = 60_000;
const [hourSpan, daySpan, weekSpan] = spans;
if (!hourSpan || !daySpan || !weekSpan)
  throw new Error('The slider has fewer windows than tested.');

const lastDay: TimeWindow = { span: defaultSpan, end: local(10, 7, 41, 369) };

describe('Function: alignDown', () => {
  it('goes back to the last round local time', () => {
    expect(alignDown(local(10, 7, 30, 500), 15 * minute)).toBe(local(10, 0));
  });

  it('keeps an instant that is already round', () => {
    expect(alignDown(local(10, 15), 15 * minute)).toBe(local(10, 15));
  });
});

describe('Function: windowStart', () => {
  it('is the round local time at or before one span before the end', () => {
    expect(windowStart(lastDay)).toBe(new Date(2026, 10, 26, 10, 0).getTime());
  });
});

describe('Function: stepFrom', () => {
  it('moves from a round time by whole steps', () => {
    expect(stepFrom(lastDay, local(9, 0), 1)).toBe(local(9, 15));
    expect(stepFrom(lastDay, local(9, 0), -1)).toBe(local(8, 45));
  });

  it('lands on the next or previous round time from an exact instant', () => {
    const change = local(9, 3, 12, 345);
    expect(stepFrom(lastDay, change, 1)).toBe(local(9, 15));
    expect(stepFrom(lastDay, change, -1)).toBe(local(9, 0));
  });

  it('moves a page (2 hours in a day) from a round time, both ways', () => {
    const pageSteps = daySpan.pageMs / daySpan.stepMs;
    expect(stepFrom(lastDay, local(6, 0), pageSteps)).toBe(local(8, 0));
    expect(stepFrom(lastDay, local(6, 0), -pageSteps)).toBe(local(4, 0));
  });

  it('stops at the ends of the window', () => {
    expect(stepFrom(lastDay, local(10, 0), 1)).toBe(lastDay.end);
    expect(stepFrom(lastDay, lastDay.end, 1)).toBe(lastDay.end);
    expect(stepFrom(lastDay, windowStart(lastDay), -1)).toBe(windowStart(lastDay));
  });
});

describe('Function: snap', () => {
  const reachMs = 2 * minute;

  it('lands on a change within reach', () => {
    const change = local(9, 3, 12, 345);
    expect(snap(lastDay, local(9, 4), [local(5, 0), change], reachMs)).toBe(change);
  });

  it('lands on the nearest round time when no change is within reach', () => {
    expect(snap(lastDay, local(9, 8), [local(9, 3)], reachMs)).toBe(local(9, 15));
    expect(snap(lastDay, local(9, 7), [], reachMs)).toBe(local(9, 0));
  });

  it('lands on the end of the window, which is not a round time', () => {
    expect(snap(lastDay, local(10, 6), [], reachMs)).toBe(lastDay.end);
  });
});

describe('Function: fitWindow', () => {
  const now = local(12, 0);
  const lastHour: TimeWindow = { span: hourSpan, end: local(11, 0) };

  it('keeps the window when it shows the instant', () => {
    expect(fitWindow(lastHour, local(10, 30), now)).toBe(lastHour);
  });

  it('moves to the shortest window ending now that shows the instant', () => {
    expect(fitWindow(lastHour, local(11, 30), now)).toEqual({ span: hourSpan, end: now });
    expect(fitWindow(lastHour, local(8, 0), now)).toEqual({ span: daySpan, end: now });
    expect(fitWindow(lastHour, local(8, 0) - 3 * 24 * 60 * minute, now)).toEqual({
      span: weekSpan,
      end: now,
    });
  });

  it('never shortens a window the user chose', () => {
    const lastWeek: TimeWindow = { span: weekSpan, end: local(11, 0) };
    expect(fitWindow(lastWeek, local(11, 30), now)).toEqual({ span: weekSpan, end: now });
  });

  it('leaves the window alone for an instant no window shows', () => {
    expect(fitWindow(lastHour, local(12, 30), now)).toBe(lastHour);
    expect(fitWindow(lastHour, now - 40 * 24 * 60 * minute, now)).toBe(lastHour);
  });
});
