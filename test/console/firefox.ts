import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { screenshotDir } from './browser.ts';

/** Debian's Firefox ESR (`apt-get install firefox-esr`), unless FIREFOX_PATH names another. */
export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * A zone east of UTC by a fraction of an hour, without daylight saving time: the console's
 * date-time pickers speak local time, so a test that reads the API's UTC instants through them
 * checks the conversion both ways.
 */
export const timeZone = { id: 'Asia/Kolkata', offsetMs: 330 * 60_000 };

/** An instant as the console's datetime-local pickers show it in {@link timeZone}. */
export const pickerValue = (iso: string) =>
  new Date(Date.parse(iso) + timeZone.offsetMs).toISOString().slice(0, 23);

/** CI installs Firefox, so a missing one fails the tests, with the way to install it. */
async function requireFirefox(): Promise<void> {
  try {
    await access(firefoxPath, constants.X_OK);
  } catch (cause) {
    throw new Error(
      `Firefox is needed for the console's Firefox tests and was not found at ${firefoxPath}. ` +
        'Install Debian\'s Firefox ESR with "apt-get install firefox-esr" (.ci/run does), ' +
        'or set FIREFOX_PATH to a Firefox executable.',
      { cause },
    );
  }
}

/**
 * Firefox on a fresh temporary profile (puppeteer's, with updates, telemetry and safe browsing
 * off). Remote settings would still poll Mozilla's servers on a release build; pointing them at a
 * data: URL and MOZ_DISABLE_NONLOCAL_CONNECTIONS, Firefox's own switch for test runs, leave it
 * talking to the local stack only.
 */
async function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
      // The date-time pickers' segments and clock follow the locale (see typeInstant).
      'intl.locale.requested': 'en-US',
      'intl.regional_prefs.use_os_locales': false,
    },
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
  });
}

export interface Tab {
  readonly page: Page;
  /** Every uncaught page error, console error and failed request so far, in words. */
  readonly problems: readonly string[];
}

/** Firefox, driven over WebDriver BiDi by puppeteer-core: one browser per test file. */
export function useFirefox() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await requireFirefox();
    await mkdir(screenshotDir, { recursive: true });
    browser = await launchFirefox();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    /** A new tab in {@link timeZone} that records what goes wrong in it. */
    newTab: async (): Promise<Tab> => {
      if (!browser) throw new Error('Firefox is not started yet.');
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      await page.emulateTimezone(timeZone.id);
      const problems: string[] = [];
      page.on('pageerror', (error) => {
        problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`);
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('requestfailed', (request) => {
        const reason = request.failure()?.errorText;
        // Leaving a page (sign-in goes to the authorization server) cancels what it still
        // loads, such as its favicon or the health badge: the browser's doing, not a failure.
        if (reason === 'NS_BINDING_ABORTED') return;
        problems.push(`request failed: ${request.url()} (${reason})`);
      });
      return { page, problems };
    },
  };
}

type Scope = Page | ElementHandle;

/** The element announced as `role` with exactly this accessible name, once it is there. */
export async function byRole(scope: Scope, role: string, name: string): Promise<ElementHandle> {
  const selector = `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;
  const element = await scope.waitForSelector(selector);
  if (!element) throw new Error(`No ${role} named "${name}".`);
  return element;
}

export async function click(scope: Scope, role: string, name: string): Promise<void> {
  await (await byRole(scope, role, name)).click();
}

/** Replaces the text of the text box with this label, typed key by key as a person would. */
export async function fill(page: Page, label: string, text: string): Promise<void> {
  const box = await byRole(page, 'textbox', label);
  await box.evaluate((element) => element.select());
  await box.type(text);
}

/**
 * Types an instant (`YYYY-MM-DDTHH:mm:ss.sss`, local time) into the datetime-local picker this
 * `<label>` names, segment by segment as a person would in Firefox's en-US picker:
 * month, day, year, hour (12-hour clock), minute, second, millisecond, AM or PM. Such an input
 * has no ARIA role, so it is found through its label.
 */
export async function typeInstant(page: Page, label: string, local: string): Promise<void> {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(local);
  if (!parts) throw new Error(`Not a local instant: ${local}`);
  const [, year, month, day, hour, minute, second, ms] = parts;
  const hours = Number(hour);
  const clock = String(hours % 12 || 12).padStart(2, '0');
  const half = hours < 12 ? 'A' : 'P';
  for (const candidate of await page.$$('label')) {
    if ((await candidate.evaluate((element) => element.textContent)) !== label) continue;
    // Focus lands on the first segment only when it comes from elsewhere.
    await candidate.evaluate((element) => {
      element.control.blur();
      element.control.focus();
    });
    await page.keyboard.type(`${month}${day}${year}${clock}${minute}${second}${ms}${half}`);
    return;
  }
  throw new Error(`No field labelled "${label}".`);
}

export async function textOf(scope: Scope, selector: string): Promise<string> {
  const element = await scope.waitForSelector(selector);
  return (await element?.evaluate((node) => node.textContent)) ?? '';
}

/**
 * Waits until the element's text matches; the deadline only guards against a hang. A read that
 * fails while the page re-renders is tried again.
 */
export async function waitForText(
  scope: Scope,
  selector: string,
  expected: string | RegExp,
): Promise<string> {
  const deadline = Date.now() + 15_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await textOf(scope, selector).catch(() => text);
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${selector} never showed ${expected}; it shows "${text}".`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
