import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';

/** Where each main screen's screenshot is saved (git-ignored test artifacts). */
export const screenshotDir = 'test-results/console';

/** The desktop viewport every tab opens with; phone tests set their own. */
export const desktop = { width: 1280, height: 800 } as const;

export interface Tab {
  readonly page: Page;
  /** Every uncaught page error, console error and failed request so far, in words. */
  readonly problems: readonly string[];
}

export interface TabOptions {
  /** An IANA time zone the page runs in, such as "Asia/Kolkata". */
  readonly timeZone?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * Leaving a page (sign-in goes to the authorization server) cancels what it still loads, such as
 * its favicon or the health badge: the browser's doing, not a failure. Each browser words it so.
 */
const abortedByNavigation = new Set(['NS_BINDING_ABORTED', 'net::ERR_ABORTED']);

/** Records what goes wrong in a page: thrown errors, logged errors, failed requests. */
function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => {
    problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location().url;
    problems.push(`console error: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    if (!abortedByNavigation.has(reason)) {
      problems.push(`request failed: ${request.url()} (${reason})`);
    }
  });
  return problems;
}

/** A browser just launched, and how to close it and remove what it left behind. */
export interface Launched {
  readonly browser: Browser;
  readonly close: () => Promise<void>;
}

/**
 * One browser for a test file, launched by puppeteer-core before its tests and closed after.
 * `defaults` apply to every tab unless it asks for others.
 */
export function useBrowser(launch: () => Promise<Launched>, defaults: TabOptions = {}) {
  let launched: Launched | undefined;
  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    launched = await launch();
  });
  afterAll(async () => {
    await launched?.close();
  });
  return {
    /** A new tab that records what goes wrong in it. */
    newTab: async (options: TabOptions = {}): Promise<Tab> => {
      if (!launched) throw new Error('The browser is not started yet.');
      const { timeZone, viewport } = { ...defaults, ...options };
      const page = await launched.browser.newPage();
      page.setDefaultTimeout(15_000);
      if (timeZone) await page.emulateTimezone(timeZone);
      if (viewport) await page.setViewport(viewport);
      return { page, problems: recordProblems(page) };
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
