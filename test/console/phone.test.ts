import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot } from './browser.ts';
import { useChromium } from './chromium.ts';
import {
  click,
  fill,
  fullyShown,
  sidewaysOverflow,
  textsOf,
  waitForText,
  wrappedLines,
} from './page-queries.ts';

const { url, api } = useLocalStack();
const chromium = useChromium();

/** Longer than a phone's line, in the heading and in the list alike. */
const longName = 'payments.eu-west-1.checkout.timeout_ms.fallback_retry_count';
const actor = 'carol.longname@example.com';

/** Where a name may wrap: after one of its separators, never between two letters. */
const endsAtSeparator = (line: string) => /[.:_-]$/.test(line);

/** Every line but the last of each wrapped name ends at a separator. */
function expectWrappedAtSeparators(names: string[][]): void {
  for (const lines of names) {
    for (const line of lines.slice(0, -1)) {
      expect(line, `"${lines.join('')}" wraps after "${line}"`).toSatisfy(endsAtSeparator);
    }
  }
}

describe('Console: phone width', () => {
  beforeAll(async () => {
    await api.put(`/config/${longName}`, { value: { retries: 3 } }, { 'x-actor': actor });
    await api.put(`/config/${longName}`, { value: { retries: 5 } }, { 'x-actor': actor });
    await api.put('/config/phone.view', { value: { a: [1, 2, 3] } });
  });

  it.each([360, 390])('lays out the entry page in a phone %i px wide', async (width) => {
    const { page } = await chromium.newTab({ viewport: { width, height: 844 } });
    await page.goto(`${url()}/#/entry/phone.view`);
    await waitForText(page, '[data-testid="version"]', /^1$/);
    // The page is wider than the screen only if something overflows sideways.
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, `entry-page-phone-${width}`);
  });

  it.each([360, 390])('wraps a long name only after separators, %i px wide', async (width) => {
    // Prepare
    const { page } = await chromium.newTab({ viewport: { width, height: 844 } });

    // Act: the entry page, whose heading is the name
    await page.goto(`${url()}/#/entry/${longName}`);
    await waitForText(page, '[data-testid="version"]', /^2$/);

    // Assess
    const heading = await wrappedLines(page, 'h1');
    expect(heading[0]?.length).toBeGreaterThan(1);
    expectWrappedAtSeparators(heading);
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, `entry-page-long-name-phone-${width}`);
  });

  it.each([360, 390])('shows every column of the entry list, %i px wide', async (width) => {
    // Prepare
    const { page } = await chromium.newTab({ viewport: { width, height: 844 } });

    // Act
    await page.goto(`${url()}/`);
    await fill(page, 'Name prefix', 'payments.');
    await click(page, 'button', 'Search');
    await expect.poll(() => textsOf(page, '.entries .name a')).toEqual([longName]);

    // Assess: the name wraps at separators; value, version, time and who, none cut off
    const names = await wrappedLines(page, '.entries .name a');
    expect(names[0]?.length).toBeGreaterThan(1);
    expectWrappedAtSeparators(names);
    expect(await textsOf(page, '.entries .by')).toEqual([`by ${actor}`]);
    for (const column of ['name', 'preview', 'version', 'updated', 'by']) {
      expect(await fullyShown(page, `.entries .${column}`), column).toEqual([true]);
    }
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, `entry-list-phone-${width}`);
  });
});
