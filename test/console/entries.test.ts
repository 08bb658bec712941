import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { desktop, screenshot } from './browser.ts';
import { useChromium } from './chromium.ts';
import {
  byRole,
  click,
  countByRole,
  fill,
  textOf,
  textsOf,
  waitForText,
  wrappedLines,
} from './page-queries.ts';
import { createFromForm } from './scenarios.ts';

const { url, api } = useLocalStack();
const chromium = useChromium();

/** Waits until the projection lists `count` entries under a prefix (it lags by milliseconds). */
async function listed(prefix: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const page = await api.get(`/config?prefix=${prefix}&limit=1000`);
    if (page.body.items.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The projection never listed ${count} entries under ${prefix}.`);
}

describe('Console: entry list', () => {
  it('searches by prefix, pages through entries, and shows the health badge', async () => {
    // Prepare
    await api.put('/config/shop.checkout.timeout_ms', { value: 2500 });
    await api.put('/config/shop.cart.max_items', { value: 50 });
    await api.put('/config/other.flag', { value: true });
    for (let i = 0; i < 26; i++) {
      await api.put(`/config/page.n${String(i).padStart(2, '0')}`, { value: i });
    }
    await listed('page.', 26);
    await listed('shop.', 2);
    const { page } = await chromium.newTab();
    const pageLinks = async () =>
      (await textsOf(page, 'table a')).filter((name) => name.startsWith('page.n'));

    // Act
    await page.goto(`${url()}/`);
    await waitForText(page, '[data-testid="health"]', /Healthy · projection lag \d+ ms/);
    await fill(page, 'Name prefix', 'shop.');
    await click(page, 'button', 'Search');
    await byRole(page, 'link', 'shop.cart.max_items');

    // Assess
    expect(await countByRole(page, 'link', 'shop.checkout.timeout_ms')).toBe(1);
    expect(await countByRole(page, 'link', 'other.flag')).toBe(0);
    expect(await textsOf(page, '[data-testid="preview"]')).toEqual(['50', '2500']);
    await screenshot(page, 'entry-list');

    await fill(page, 'Name prefix', 'page.');
    await click(page, 'button', 'Search');
    await byRole(page, 'link', 'page.n24');
    expect(await pageLinks()).toHaveLength(25);
    await click(page, 'button', 'Next page');
    await byRole(page, 'link', 'page.n25');
    expect(await pageLinks()).toHaveLength(1);
    await click(page, 'button', 'Previous page');
    await byRole(page, 'link', 'page.n00');
  });
});

describe('Console: value previews', () => {
  it('previews each value on one line, as its exact JSON text, cut with an ellipsis', async () => {
    // Prepare
    const long = 'x'.repeat(100);
    await api.call('PUT', '/config/preview.exact', {
      rawBody: '{"value":{"id":12345678901234567890,"ratio":1.0}}',
    });
    await api.put('/config/preview.long', { value: { text: long } });
    await api.put('/config/preview.lines', { value: 'first line\nsecond line' });
    await listed('preview.', 3);
    const { page } = await chromium.newTab();

    // Act
    await page.goto(`${url()}/`);
    await fill(page, 'Name prefix', 'preview.');
    await click(page, 'button', 'Search');
    await expect
      .poll(() => textsOf(page, 'table a'))
      .toEqual(['preview.exact', 'preview.lines', 'preview.long']);

    // Assess: numbers as written, a long value cut to 60 characters, each on one line
    const previews = await textsOf(page, '[data-testid="preview"]');
    expect(previews).toEqual([
      '{"id":12345678901234567890,"ratio":1.0}',
      '"first line\\nsecond line"',
      `{"text":"${'x'.repeat(50)}…`,
    ]);
    expect([...(previews[2] ?? '')]).toHaveLength(60);
    const lines = await wrappedLines(page, '[data-testid="preview"]');
    expect(lines.map((line) => line.length)).toEqual([1, 1, 1]);
  });
});

describe('Console: page loads', () => {
  it('loads every page with no failed request, error answer or logged error', async () => {
    // Prepare
    await api.put('/config/load.check', { value: 1 });
    const { page, problems } = await chromium.newTab();
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
    });

    // Act: each page opened anew, as a bookmark would
    for (const route of ['/', '/#/new', '/#/time', '/#/entry/load.check']) {
      await page.goto(`${url()}${route}`, { waitUntil: 'networkidle0' });
      await page.reload({ waitUntil: 'networkidle0' });
    }

    // Assess: the settings (asked for first on each load) included
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('Console: entry page', () => {
  it('creates an entry, and shows an edit conflict with the newer value instead of overwriting', async () => {
    // Prepare
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/new`);

    // Act: create
    await createFromForm(page, {
      name: 'feature.checkout',
      value: '{"enabled": false, "rollout": 0}',
      comment: 'prepare the rollout',
    });

    // Assess: the entry page shows version 1
    expect(JSON.parse(await textOf(page, '[data-testid="value"]'))).toEqual({
      enabled: false,
      rollout: 0,
    });
    await screenshot(page, 'entry-page');

    // Act: someone else saves version 2 while this page still edits version 1
    await click(page, 'button', 'Edit');
    await api.put(
      '/config/feature.checkout',
      { value: { enabled: true, rollout: 0.1 } },
      {
        'x-actor': 'bob@example.com',
      },
    );
    await fill(page, 'New value (JSON), based on version 1', '{"enabled": true}');
    await click(page, 'button', 'Save');

    // Assess: 409 in words, with bob's value; nothing overwritten
    const conflict = await waitForText(
      page,
      '[data-testid="conflict"]',
      'version 2 was saved by bob@example.com',
    );
    expect(await textOf(page, '[data-testid="conflict"] pre')).toContain('"rollout": 0.1');
    expect(conflict).toContain('version 2 was saved by bob@example.com');
    expect(await textOf(page, '[role="alert"]')).toContain('version_conflict');
    expect((await api.get('/config/feature.checkout?consistent=true')).body.version).toBe(2);
    await screenshot(page, 'edit-conflict');

    // Act: load the newer version, then save on top of it
    await click(page, 'button', 'Discard my edit and load version 2');
    await waitForText(page, '[data-testid="version"]', /^2$/);
    await click(page, 'button', 'Edit');
    await fill(page, 'New value (JSON), based on version 2', '{"enabled": true, "rollout": 0.5}');
    await click(page, 'button', 'Save');
    await waitForText(page, '[data-testid="version"]', /^3$/);
    const saved = await api.get('/config/feature.checkout?consistent=true');
    expect(saved.body.value).toEqual({ enabled: true, rollout: 0.5 });
  });

  it('reads first: Edit opens the form in place of the value, Cancel closes it, history stays in view', async () => {
    // Prepare: a value of ten lines, two versions
    const value = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`key${i}`, i]));
    await api.put('/config/read.first', { value: { ...value, key0: -1 } });
    await api.put('/config/read.first', { value });
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/read.first`);
    await waitForText(page, '[data-testid="version"]', /^2$/);
    const historyTop = async () =>
      (await (await byRole(page, 'heading', 'History')).boundingBox())?.y ?? Number.NaN;

    // Assess: the value to read, no form
    expect(await countByRole(page, 'textbox')).toBe(0);
    expect(JSON.parse(await textOf(page, '[data-testid="value"]'))).toEqual(value);

    // Act
    await click(page, 'button', 'Edit');

    // Assess: the form, focused, in the value's place; the history starts above the fold
    const editor = await byRole(page, 'textbox', 'New value (JSON), based on version 2');
    expect(
      await editor.evaluate((element) => element === element.ownerDocument.activeElement),
    ).toBe(true);
    expect(await countByRole(page, 'button', 'Edit')).toBe(0);
    expect(await historyTop()).toBeLessThan(desktop.height);
    await screenshot(page, 'entry-edit');

    // Act
    await click(page, 'button', 'Cancel');

    // Assess: back to reading, nothing saved, focus back on Edit
    const edit = await byRole(page, 'button', 'Edit');
    expect(await countByRole(page, 'textbox')).toBe(0);
    expect(await edit.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(
      true,
    );
    expect((await api.get('/config/read.first?consistent=true')).body.version).toBe(2);
  });

  it('shows and saves values exactly: big and float numbers are never rounded', async () => {
    // Prepare
    await api.call('PUT', '/config/exact.numbers', {
      rawBody: '{"value":{"id":12345678901234567890,"ratio":1.0}}',
    });
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/exact.numbers`);
    await waitForText(page, '[data-testid="version"]', /^1$/);

    // Act: save the value as loaded, with only a comment
    const shown = await textOf(page, '[data-testid="value"]');
    await click(page, 'button', 'Edit');
    await fill(page, 'Comment', 'no change');
    await click(page, 'button', 'Save');
    await waitForText(page, '[data-testid="version"]', /^2$/);

    // Assess
    expect(shown).toContain('12345678901234567890');
    expect(shown).toContain('1.0');
    const saved = await api.get('/config/exact.numbers?consistent=true');
    expect(saved.text).toContain('"value":{"id":12345678901234567890,"ratio":1.0}');
  });

  it('refuses to create over an existing name, in words', async () => {
    await api.put('/config/taken.name', { value: 1 });
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/new`);
    await fill(page, 'Name', 'taken.name');
    await fill(page, 'Value (JSON)', '2');
    await click(page, 'button', 'Create');
    await waitForText(page, '[role="alert"]', 'version_conflict');
    expect((await api.get('/config/taken.name?consistent=true')).body.value).toBe(1);
  });

  it('deletes an entry only after confirmation, and keeps its history', async () => {
    // Prepare
    await api.put('/config/delete.me', { value: 'soon gone' });
    const { page } = await chromium.newTab();
    await page.goto(`${url()}/#/entry/delete.me`);
    await waitForText(page, '[data-testid="version"]', /^1$/);

    // Act
    await click(page, 'button', 'Delete…');
    await click(page, 'button', 'Cancel');
    expect((await api.get('/config/delete.me?consistent=true')).status).toBe(200);
    await click(page, 'button', 'Delete…');
    await click(page, 'button', 'Yes, delete');

    // Assess
    await waitForText(page, 'main', 'This entry does not exist now');
    await waitForText(page, '[data-testid="event-2"]', 'Deleted');
    expect((await api.get('/config/delete.me?consistent=true')).status).toBe(404);
  });
});
