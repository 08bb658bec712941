import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Where each main screen's screenshot is saved (git-ignored test artifacts). */
export const screenshotDir = 'test-results/console';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Debian's Chromium (never a downloaded browser) on a fresh profile, for one test file. Time
 * zone UTC, so the console's local-time pickers read the same instants the API returns.
 */
export function useBrowser() {
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    profile = await mkdtemp(join(tmpdir(), 'config-ledger-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
      headless: true,
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 800 },
    });
    context.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });
  return {
    newPage: async (): Promise<Page> => {
      if (!context) throw new Error('The browser is not started yet.');
      return context.newPage();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
