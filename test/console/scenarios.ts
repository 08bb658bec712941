import type { apiClient } from '#test/http.ts';

/** An instant `ms` milliseconds after (or before, if negative) an ISO one. */
export const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The time travel journey's data, in every browser: tt.a=1 at `t1`; later tt.a=2 and tt.b
 * created; other.c outside the tt. prefix; `now` is just after all of them.
 */
export async function writeTimeTravelHistory(api: ReturnType<typeof apiClient>) {
  const first = await api.put('/config/tt.a', { value: 1 });
  const t1 = first.body.updatedAt as string;
  // A later write must get a later instant than t1.
  await pause(20);
  await api.put('/config/tt.a', { value: 2 });
  await api.put('/config/tt.b', { value: 'new' });
  const last = await api.put('/config/other.c', { value: true });
  return { t1, now: later(last.body.updatedAt as string, 1) };
}
