/**
 * A zone east of UTC by a fraction of an hour, without daylight saving time, where the console's
 * local times and the API's UTC instants never read alike.
 */
export const kolkata = { id: 'Asia/Kolkata', offsetMs: 330 * 60_000 } as const;

/** An instant as a datetime-local picker shows it in {@link kolkata}: `YYYY-MM-DDTHH:mm:ss.sss`. */
export const kolkataPicker = (iso: string) =>
  new Date(Date.parse(iso) + kolkata.offsetMs).toISOString().slice(0, 23);

/** An instant as a datetime-local picker shows it in UTC. */
export const utcPicker = (iso: string) => iso.replace(/Z$/, '');

/**
 * The clock part of an instant as the console shows it in {@link kolkata} (tabs run in en-US):
 * "2:08:04.777 PM GMT+5:30", to the millisecond when it has them.
 */
export function kolkataClock(iso: string): string {
  const instant = Date.parse(iso);
  return new Intl.DateTimeFormat('en-US', {
    timeZone: kolkata.id,
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    ...(instant % 1000 === 0 ? {} : { fractionalSecondDigits: 3 }),
    timeZoneName: 'short',
  } as const).format(instant);
}
