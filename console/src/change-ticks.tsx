import type { Mark } from './change-marks.ts';

/** Many changes close together share one tick: at most this many across the track. */
const tickSlots = 400;

/** The changes as ticks under the slider, lined up with its thumb (see .slider in styles.css). */
export function Ticks(props: {
  marks: readonly Mark[];
  start: number;
  end: number;
  shown: number | undefined;
}) {
  const { marks, start, end, shown } = props;
  const slots = new Map<number, boolean>();
  for (const mark of marks) {
    const slot = Math.round(((mark.at - start) / Math.max(end - start, 1)) * tickSlots);
    slots.set(slot, (slots.get(slot) ?? false) || mark.at === shown);
  }
  return (
    <div class="ticks" aria-hidden="true">
      {[...slots].map(([slot, here]) => (
        <span
          key={slot}
          class={here ? 'here' : undefined}
          style={{ left: `calc(var(--thumb) / 2 + ${slot / tickSlots} * (100% - var(--thumb)))` }}
        />
      ))}
    </div>
  );
}
