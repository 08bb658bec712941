import type { ElementHandle, Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { feedServes } from '#test/http.ts';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot } from './browser.ts';
import { useChromium } from './chromium.ts';
import {
  attributeOf,
  byLabel,
  byRole,
  click,
  fieldValue,
  fill,
  setField,
  sidewaysOverflow,
  textsOf,
  waitForText,
} from './page-queries.ts';
import { utcPicker } from './time-zones.ts';

const { url, api } = useLocalStack();
const chromium = useChromium();

const prefix = 'slide.';

/** The instants of the changes written below, as the API stamped them. */
const at = { aCreated: '', aUpdated: '', bCreated: '', aDeleted: '' };

/** The instant in the date-time field, as ISO (the browser runs in UTC). */
async function fieldInstant(page: Page): Promise<string> {
  const local = await fieldValue(page, 'Show the configuration at (your local time)');
  return new Date(`${local}Z`).toISOString();
}

/** Waits for the slider (or a button) to move the field off an instant; answers the new one. */
async function fieldMovedFrom(page: Page, previous: string): Promise<string> {
  await expect.poll(() => fieldInstant(page), { timeout: 15_000 }).not.toBe(previous);
  return fieldInstant(page);
}

/** What the snapshot card shows: its instant, and the names and values listed, once loaded. */
async function shownSnapshot(page: Page) {
  const card = '[data-testid="snapshot"]';
  const shownAt = await attributeOf(page, `${card} h2 time`, 'datetime');
  const [values] = await textsOf(page, `${card} pre`);
  return {
    shownAt,
    loading: (await textsOf(page, `${card} .status`)).includes('Loading…'),
    names: await textsOf(page, `${card} a`),
    values: JSON.parse(values ?? 'null'),
  };
}

/**
 * Checks that the page shows the configuration at the field's instant, exactly as the API
 * answers for that instant: the same names and values, nothing more or less.
 */
async function expectSnapshotAtField(page: Page): Promise<string> {
  const instant = await fieldInstant(page);
  const expected = await api.get(`/config?at=${instant}&prefix=${prefix}&limit=1000`);
  const items: { name: string; value: unknown }[] = expected.body.items;
  await expect
    .poll(() => shownSnapshot(page), { timeout: 15_000 })
    .toEqual({
      shownAt: instant,
      loading: false,
      names: items.map((item) => item.name),
      values: Object.fromEntries(items.map((item) => [item.name, item.value])),
    });
  return instant;
}

async function openTimeTravel(width = 1280): Promise<Page> {
  const { page } = await chromium.newTab({ viewport: { width, height: 900 } });
  await page.goto(`${url()}/#/time`);
  await fill(page, 'Name prefix (optional)', prefix);
  await waitForText(page, '#tt-marks', `4 changes under “${prefix}” in the last day`);
  return page;
}

const valueText = (slider: ElementHandle) =>
  slider.evaluate((element) => element.getAttribute('aria-valuetext'));

describe('Console: time slider', () => {
  beforeAll(async () => {
    // slide.a created, then updated; slide.b created; slide.a deleted; other.x outside the prefix
    at.aCreated = (await api.put('/config/slide.a', { value: 1 })).body.updatedAt;
    at.aUpdated = (await api.put('/config/slide.a', { value: 2 })).body.updatedAt;
    at.bCreated = (await api.put('/config/slide.b', { value: 'new' })).body.updatedAt;
    await api.put('/config/other.x', { value: true });
    await api.delete('/config/slide.a', {});
    const history = await api.get('/config/slide.a/history');
    at.aDeleted = history.body.events.at(-1).occurredAt;
    await feedServes(api, prefix, 4);
  });

  it('jumps from change to change, and steps by round times with the keys', async () => {
    const page = await openTimeTravel();
    const slider = await byLabel(page, 'Scrub through time');
    const opened = await fieldInstant(page);

    // Act: the latest change under the prefix
    await click(page, 'button', '← Previous change');

    // Assess: the deletion of slide.a, at its exact instant
    expect(await fieldMovedFrom(page, opened)).toBe(at.aDeleted);
    await expectSnapshotAtField(page);
    expect(await valueText(slider)).toContain('changed: slide.a deleted');

    // Act: the change before it
    await click(page, 'button', '← Previous change');

    // Assess
    expect(await fieldMovedFrom(page, at.aDeleted)).toBe(at.bCreated);
    await expectSnapshotAtField(page);

    // Act: one step back with the keyboard
    await slider.press('ArrowLeft');

    // Assess: the round quarter hour before, in the field and the snapshot
    const stepped = await fieldMovedFrom(page, at.bCreated);
    expect(Date.parse(stepped)).toBeLessThan(Date.parse(at.bCreated));
    expect(Date.parse(stepped) % (15 * 60_000)).toBe(0);
    await expectSnapshotAtField(page);
    expect(await valueText(slider)).toMatch(/\d{2}:\d{2}/);

    // Act: a page (two hours) forward, past the last change: the window's end
    await slider.press('PageUp');

    // Assess
    const end = await fieldMovedFrom(page, stepped);
    expect(Date.parse(end)).toBeGreaterThan(Date.parse(at.aDeleted));
    await expectSnapshotAtField(page);
    const next = await byRole(page, 'button', 'Next change →');
    expect(await next.evaluate((button) => button.disabled)).toBe(true);
  });

  it('follows the mouse while dragging, and shows the instant picked on release', async () => {
    // Prepare: an instant typed in the field moves the thumb to the change made then
    const page = await openTimeTravel();
    const slider = await byLabel(page, 'Scrub through time');
    await setField(page, 'Show the configuration at (your local time)', utcPicker(at.aUpdated));
    await click(page, 'button', 'Show');
    await expectSnapshotAtField(page);
    expect(await valueText(slider)).toContain('changed: slide.a v2');
    const box = await slider.boundingBox();
    if (!box) throw new Error('The slider is not laid out.');
    const y = box.y + box.height / 2;

    // Act: press on the track's left end and drag to the middle, without letting go
    await page.mouse.move(box.x + 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, y, { steps: 5 });

    // Assess: the label follows the thumb; the field and the snapshot wait for the release
    await expect.poll(() => valueText(slider), { timeout: 15_000 }).not.toContain('changed:');
    expect(await fieldInstant(page)).toBe(at.aUpdated);

    // Act
    await page.mouse.up();

    // Assess: about twelve hours ago (the middle of the last day), and what was configured then
    const middle = await fieldMovedFrom(page, at.aUpdated);
    const hoursAgo = (Date.parse(at.aUpdated) - Date.parse(middle)) / 3_600_000;
    expect(hoursAgo).toBeGreaterThan(10);
    expect(hoursAgo).toBeLessThan(14);
    await expectSnapshotAtField(page);

    // Act: a click on the change ticks lands exactly on a change
    const tickBox = await (await page.$$('.ticks span')).at(-1)?.boundingBox();
    if (!tickBox) throw new Error('No change is marked.');
    await page.mouse.click(tickBox.x + tickBox.width / 2, y);

    // Assess
    const onChange = await fieldMovedFrom(page, middle);
    expect(Object.values(at)).toContain(onChange);
    await expectSnapshotAtField(page);
    await screenshot(page, 'time-travel');
  });

  it('fits a phone screen', async () => {
    const page = await openTimeTravel(375);
    const opened = await fieldInstant(page);
    await click(page, 'button', '← Previous change');
    await fieldMovedFrom(page, opened);
    await expectSnapshotAtField(page);
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'time-travel-phone');
  });
});
