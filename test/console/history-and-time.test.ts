import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot } from './browser.ts';
import { useChromium } from './chromium.ts';
import {
  byRole,
  click,
  countByRole,
  fill,
  setField,
  textOf,
  textsOf,
  waitForText,
} from './page-queries.ts';
import { later, writeTimeTravelHistory } from './scenarios.ts';
import { kolkata, kolkataClock, kolkataPicker, utcPicker } from './time-zones.ts';

const { url, api } = useLocalStack();
const chromium = useChromium();

/** The revert buttons the history offers, newest version first, once it has loaded. */
async function offeredReverts(page: Page): Promise<string[]> {
  await page.waitForSelector('.timeline li');
  const buttons = await textsOf(page, '.timeline button');
  return buttons.filter((text) => text.startsWith('Revert to'));
}

describe('Console: history', () => {
  it('shows every version, diffs two selected ones, and reverts to an earlier one', async () => {
    // Prepare
    const name = 'pool.settings';
    await api.put(`/config/${name}`, { value: { max: 10, idle: 2 }, comment: 'first sizing' });
    await api.put(
      `/config/${name}`,
      { value: { max: 50, idle: 2 }, comment: 'more traffic' },
      {
        'x-actor': 'carol@example.com',
      },
    );
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/${name}`);
    await waitForText(page, '[data-testid="version"]', /^2$/);

    // Act: compare versions 1 and 2
    await click(page, 'checkbox', 'Version 1 Set');
    await click(page, 'checkbox', 'Version 2 Set');

    // Assess
    const diff = await waitForText(page, '[data-testid="diff"]', '/max');
    expect(diff).toContain('replace');
    expect(diff).toContain('= 50');
    const second = await textOf(page, '[data-testid="event-2"]');
    expect(second).toContain('carol@example.com');
    expect(second).toContain('more traffic');
    expect(second).toContain('Set');
    await screenshot(page, 'history-diff');

    // Act: revert to version 1
    await click(page, 'button', 'Revert to version 1');

    // Assess: version 3 restores version 1's value, and says so in the timeline
    await waitForText(page, '[data-testid="version"]', /^3$/);
    await waitForText(page, '[data-testid="event-3"]', 'Reverted to version 1');
    const current = await api.get(`/config/${name}?consistent=true`);
    expect(current.body).toMatchObject({ version: 3, value: { max: 10, idle: 2 } });
    // Version 1's value is the current one again: reverting to it would change nothing.
    expect(await offeredReverts(page)).toEqual(['Revert to version 2']);
  });

  it('offers a deleted entry only reverts to versions that set a value, never its deletion', async () => {
    // Prepare: set, set, deleted
    const name = 'gone.settings';
    await api.put(`/config/${name}`, { value: 'first' });
    await api.put(`/config/${name}`, { value: 'second' });
    await api.delete(`/config/${name}`, {});
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/${name}`);
    await waitForText(page, '[data-testid="event-3"]', 'Deleted');

    // Assess
    expect(await offeredReverts(page)).toEqual(['Revert to version 2', 'Revert to version 1']);

    // Act: bring back version 2
    await click(page, 'button', 'Revert to version 2');

    // Assess: it exists again, with version 2's value
    await waitForText(page, '[data-testid="version"]', /^4$/);
    await waitForText(page, '[data-testid="event-4"]', 'Reverted to version 2');
    const restored = await api.get(`/config/${name}?consistent=true`);
    expect(restored.body).toMatchObject({ version: 4, value: 'second' });
    expect(await offeredReverts(page)).toEqual(['Revert to version 1']);
  });

  it('shows an API error in words', async () => {
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/not.there`);
    await waitForText(page, 'main', 'This entry does not exist now');
    await page.goto(`${url()}/#/entry/bad name!`);
    expect(await waitForText(page, '[role="alert"]', /\w+ \w+/)).toMatch(/\w+ \w+/);
  });
});

describe('Console: time travel', () => {
  it('shows the configuration at an instant, and what changed between two instants', async () => {
    // Prepare: tt.a=1 at t1; then tt.a=2 and tt.b created; other.c outside the prefix
    const { t1, now } = await writeTimeTravelHistory(api);
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/time`);

    // Act: the tt. prefix at t1, compared with an hour before
    await setField(page, 'Show the configuration at (your local time)', utcPicker(t1));
    await setField(page, 'Compare with an earlier instant', utcPicker(later(t1, -3_600_000)));
    await fill(page, 'Name prefix (optional)', 'tt.');
    await click(page, 'button', 'Show');

    // Assess
    const snapshot = await page.waitForSelector('[data-testid="snapshot"]');
    if (!snapshot) throw new Error('No snapshot.');
    await byRole(snapshot, 'link', 'tt.a');
    expect(await countByRole(snapshot, 'link')).toBe(1);
    await (await snapshot.waitForSelector('summary'))?.click();
    expect(await textOf(snapshot, 'pre')).toContain('"tt.a": 1');
    await waitForText(page, '[data-testid="changes"]', 'tt.a created');

    // Act: now, compared with t1
    await setField(page, 'Show the configuration at (your local time)', utcPicker(now));
    await setField(page, 'Compare with an earlier instant', utcPicker(t1));
    await click(page, 'button', 'Show');

    // Assess
    const changes = await waitForText(page, '[data-testid="changes"]', 'tt.b created');
    expect(changes).toContain('tt.a updated (v1 → v2)');
    expect(changes).not.toContain('other.c');
    await byRole(snapshot, 'link', 'tt.b');
  });
});

describe('Console: one time zone rule', () => {
  it('shows every time in the browser zone, as the date-time fields speak, with UTC on hover', async () => {
    // Prepare: a zone where local and UTC times never read alike
    const written = await api.put('/config/zone.rule', { value: 1 }, { 'x-actor': 'dora' });
    const updatedAt = written.body.updatedAt as string;
    const { t1, now } = await writeTimeTravelHistory(api);
    const { page } = await chromium.newTab({ timeZone: kolkata.id });
    const shownTimes = (selector: string) =>
      page.$$eval(`${selector} time`, (times) =>
        times.map((time) => ({
          text: time.textContent,
          title: time.getAttribute('title'),
          at: time.getAttribute('datetime'),
        })),
      );
    const local = (iso: string) => ({
      text: expect.stringContaining(kolkataClock(iso)),
      title: `UTC: ${iso}`,
      at: iso,
    });

    // Act: the entry page
    await page.goto(`${url()}/#/entry/zone.rule`);
    await waitForText(page, '[data-testid="version"]', /^1$/);

    // Assess: when it was updated, in the entry and in its history
    expect(await shownTimes('.meta')).toEqual([local(updatedAt)]);
    expect(await shownTimes('[data-testid="event-1"]')).toEqual([local(updatedAt)]);

    // Act: the entry list
    await page.goto(`${url()}/#/`);
    await fill(page, 'Name prefix', 'zone.');
    await click(page, 'button', 'Search');

    // Assess: once the list holds only that entry
    await expect.poll(() => shownTimes('table')).toEqual([local(updatedAt)]);

    // Act: time travel, with the instants typed in local time
    await page.goto(`${url()}/#/time`);
    await setField(page, 'Show the configuration at (your local time)', kolkataPicker(now));
    await setField(page, 'Compare with an earlier instant', kolkataPicker(t1));
    await fill(page, 'Name prefix (optional)', 'tt.');
    await click(page, 'button', 'Show');

    // Assess: the page says the instants of the fields, in the fields' zone, and names it
    await waitForText(page, '[data-testid="changes"]', 'tt.a updated');
    expect(await shownTimes('[data-testid="snapshot"] h2')).toEqual([local(now)]);
    expect(await shownTimes('[data-testid="changes"] h2')).toEqual([local(t1), local(now)]);
    // Chromium still names the zone by its older name, Asia/Calcutta.
    expect(await textOf(page, '[data-testid="zone"]')).toMatch(/Asia\/(Kolkata|Calcutta)/);
    await screenshot(page, 'time-travel-kolkata');
  });
});
