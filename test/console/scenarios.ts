import type { Page } from 'puppeteer-core';
import type { apiClient } from '#test/http.ts';
import { byRole, click, fill, waitForText } from './page-queries.ts';

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

/**
 * Creates an entry from the New entry form, as a person would, and waits until the console
 * shows its page at version 1.
 */
export async function createFromForm(
  page: Page,
  entry: { name: string; value: string; comment: string },
): Promise<void> {
  await fill(page, 'Name', entry.name);
  await fill(page, 'Value (JSON)', entry.value);
  await fill(page, 'Comment', entry.comment);
  await click(page, 'button', 'Create');
  await byRole(page, 'heading', entry.name);
  await waitForText(page, '[data-testid="version"]', /^1$/);
}
