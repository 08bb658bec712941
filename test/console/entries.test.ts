import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot, useBrowser } from './browser.ts';

const { url, api } = useLocalStack();
const browser = useBrowser();

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
    const page = await browser.newPage();

    // Act
    await page.goto(`${url()}/`);
    await page
      .getByTestId('health')
      .filter({ hasText: /Healthy · projection lag \d+ ms/ })
      .waitFor();
    await page.getByLabel('Name prefix').fill('shop.');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'shop.cart.max_items' }).waitFor();

    // Assess
    expect(await page.getByRole('link', { name: 'shop.checkout.timeout_ms' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'other.flag' }).count()).toBe(0);
    await screenshot(page, 'entry-list');

    await page.getByLabel('Name prefix').fill('page.');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'page.n24' }).waitFor();
    expect(await page.getByRole('link', { name: /^page\.n/ }).count()).toBe(25);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: 'page.n25' }).waitFor();
    expect(await page.getByRole('link', { name: /^page\.n/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: 'page.n00' }).waitFor();
  });
});

describe('Console: entry page', () => {
  it('creates an entry, and shows an edit conflict with the newer value instead of overwriting', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(`${url()}/#/new`);

    // Act: create
    await page.getByLabel('Name', { exact: true }).fill('feature.checkout');
    await page.getByLabel('Value (JSON)').fill('{"enabled": false, "rollout": 0}');
    await page.getByLabel('Comment').fill('prepare the rollout');
    await page.getByRole('button', { name: 'Create' }).click();

    // Assess: the entry page shows version 1
    await page.getByRole('heading', { name: 'feature.checkout' }).waitFor();
    await page.getByTestId('version').filter({ hasText: /^1$/ }).waitFor();
    expect(JSON.parse((await page.getByTestId('value').first().textContent()) ?? '')).toEqual({
      enabled: false,
      rollout: 0,
    });
    await screenshot(page, 'entry-page');

    // Act: someone else saves version 2 while this page still edits version 1
    await api.put(
      '/config/feature.checkout',
      { value: { enabled: true, rollout: 0.1 } },
      {
        'x-actor': 'bob@example.com',
      },
    );
    await page.getByLabel(/New value \(JSON\), based on version 1/).fill('{"enabled": true}');
    await page.getByRole('button', { name: 'Save' }).click();

    // Assess: 409 in words, with bob's value; nothing overwritten
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('version 2 was saved by bob@example.com');
    expect(await conflict.locator('pre').textContent()).toContain('"rollout": 0.1');
    expect(await page.getByRole('alert').textContent()).toContain('version_conflict');
    expect((await api.get('/config/feature.checkout?consistent=true')).body.version).toBe(2);
    await screenshot(page, 'edit-conflict');

    // Act: load the newer version, then save on top of it
    await page.getByRole('button', { name: 'Discard my edit and load version 2' }).click();
    await page.getByTestId('version').filter({ hasText: /^2$/ }).waitFor();
    await page.getByLabel(/based on version 2/).fill('{"enabled": true, "rollout": 0.5}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('version').filter({ hasText: /^3$/ }).waitFor();
    const saved = await api.get('/config/feature.checkout?consistent=true');
    expect(saved.body.value).toEqual({ enabled: true, rollout: 0.5 });
  });

  it('shows and saves values exactly: big and float numbers are never rounded', async () => {
    // Prepare
    await api.call('PUT', '/config/exact.numbers', {
      rawBody: '{"value":{"id":12345678901234567890,"ratio":1.0}}',
    });
    const page = await browser.newPage();
    await page.goto(`${url()}/#/entry/exact.numbers`);
    await page.getByTestId('version').filter({ hasText: /^1$/ }).waitFor();

    // Act: save the value as loaded, with only a comment
    const shown = (await page.getByTestId('value').first().textContent()) ?? '';
    await page.getByLabel('Comment').fill('no change');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('version').filter({ hasText: /^2$/ }).waitFor();

    // Assess
    expect(shown).toContain('12345678901234567890');
    expect(shown).toContain('1.0');
    const saved = await api.get('/config/exact.numbers?consistent=true');
    expect(saved.text).toContain('"value":{"id":12345678901234567890,"ratio":1.0}');
  });

  it('refuses to create over an existing name, in words', async () => {
    await api.put('/config/taken.name', { value: 1 });
    const page = await browser.newPage();
    await page.goto(`${url()}/#/new`);
    await page.getByLabel('Name', { exact: true }).fill('taken.name');
    await page.getByLabel('Value (JSON)').fill('2');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').filter({ hasText: 'version_conflict' }).waitFor();
    expect((await api.get('/config/taken.name?consistent=true')).body.value).toBe(1);
  });

  it('deletes an entry only after confirmation, and keeps its history', async () => {
    // Prepare
    await api.put('/config/delete.me', { value: 'soon gone' });
    const page = await browser.newPage();
    await page.goto(`${url()}/#/entry/delete.me`);
    await page.getByTestId('version').filter({ hasText: /^1$/ }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get('/config/delete.me?consistent=true')).status).toBe(200);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();

    // Assess
    await page.getByText('This entry does not exist now').waitFor();
    await page.getByTestId('event-2').filter({ hasText: 'Deleted' }).waitFor();
    expect((await api.get('/config/delete.me?consistent=true')).status).toBe(404);
  });
});
