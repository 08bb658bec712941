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
