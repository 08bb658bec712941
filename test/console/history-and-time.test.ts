import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot, useBrowser } from './browser.ts';
import { later, writeTimeTravelHistory } from './scenarios.ts';

const { url, api } = useLocalStack();
const browser = useBrowser();

/** An instant as the console's datetime-local pickers take it (the browser runs in UTC). */
const pickerValue = (iso: string) => iso.replace(/Z$/, '');

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
    const page = await browser.newPage();
    await page.goto(`${url()}/#/entry/${name}`);
    await page.getByTestId('version').filter({ hasText: /^2$/ }).waitFor();

    // Act: compare versions 1 and 2
    await page.getByRole('checkbox', { name: /Version 1/ }).check();
    await page.getByRole('checkbox', { name: /Version 2/ }).check();

    // Assess
    const diff = page.getByTestId('diff');
    await diff.getByText('/max').waitFor();
    expect(await diff.textContent()).toContain('replace');
    expect(await diff.textContent()).toContain('= 50');
    const second = await page.getByTestId('event-2').textContent();
    expect(second).toContain('carol@example.com');
    expect(second).toContain('more traffic');
    expect(second).toContain('Set');
    await screenshot(page, 'history-diff');

    // Act: revert to version 1
    await page.getByRole('button', { name: 'Revert to version 1' }).click();

    // Assess: version 3 restores version 1's value, and says so in the timeline
    await page.getByTestId('version').filter({ hasText: /^3$/ }).waitFor();
    await page.getByTestId('event-3').filter({ hasText: 'Reverted to version 1' }).waitFor();
    const current = await api.get(`/config/${name}?consistent=true`);
    expect(current.body).toMatchObject({ version: 3, value: { max: 10, idle: 2 } });
  });

  it('shows an API error in words', async () => {
    const page = await browser.newPage();
    await page.goto(`${url()}/#/entry/not.there`);
    await page.getByText('This entry does not exist now').waitFor();
    await page.goto(`${url()}/#/entry/bad name!`);
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/\w+ \w+/);
  });
});

describe('Console: time travel', () => {
  it('shows the configuration at an instant, and what changed between two instants', async () => {
    // Prepare: tt.a=1 at t1; then tt.a=2 and tt.b created; other.c outside the prefix
    const { t1, now } = await writeTimeTravelHistory(api);
    const page = await browser.newPage();
    await page.goto(`${url()}/#/time`);

    // Act: the tt. prefix at t1, compared with an hour before
    await page.getByLabel('Show the configuration at').fill(pickerValue(t1));
    await page
      .getByLabel('Compare with an earlier instant')
      .fill(pickerValue(later(t1, -3_600_000)));
    await page.getByLabel('Name prefix (optional)').fill('tt.');
    await page.getByRole('button', { name: 'Show' }).click();

    // Assess
    const snapshot = page.getByTestId('snapshot');
    await snapshot.getByRole('link', { name: 'tt.a' }).waitFor();
    expect(await snapshot.getByRole('link').count()).toBe(1);
    await snapshot.getByText('Values').click();
    expect(await snapshot.locator('pre').textContent()).toContain('"tt.a": 1');
    await page.getByTestId('changes').getByText('tt.a created').waitFor();

    // Act: now, compared with t1
    await page.getByLabel('Show the configuration at').fill(pickerValue(now));
    await page.getByLabel('Compare with an earlier instant').fill(pickerValue(t1));
    await page.getByRole('button', { name: 'Show' }).click();

    // Assess
    const changes = page.getByTestId('changes');
    await changes.getByText('tt.b created').waitFor();
    expect(await changes.textContent()).toContain('tt.a updated (v1 → v2)');
    expect(await changes.textContent()).not.toContain('other.c');
    await snapshot.getByRole('link', { name: 'tt.b' }).waitFor();
  });
});

describe('Console: phone width', () => {
  it('lays out the entry page in a phone-sized viewport', async () => {
    await api.put('/config/phone.view', { value: { a: [1, 2, 3] } });
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url()}/#/entry/phone.view`);
    await page.getByTestId('version').filter({ hasText: /^1$/ }).waitFor();
    // The page is wider than the screen only if something overflows sideways.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await screenshot(page, 'entry-page-phone');
  });
});
