import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import puppeteer, { type Page } from 'puppeteer-core';
import { desktop, type Launched, useBrowser } from './browser.ts';
import { byLabel } from './page-queries.ts';
import { kolkata } from './time-zones.ts';

/** Debian's Firefox ESR (`apt-get install firefox-esr`), unless FIREFOX_PATH names another. */
export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

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
 * off), driven over WebDriver BiDi. Remote settings would still poll Mozilla's servers on a
 * release build; pointing them at a data: URL and MOZ_DISABLE_NONLOCAL_CONNECTIONS, Firefox's own
 * switch for test runs, leave it talking to the local stack only.
 */
async function launchFirefox(): Promise<Launched> {
  await requireFirefox();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    defaultViewport: desktop,
    extraPrefsFirefox: {
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
      // The date-time pickers' segments and clock follow the locale (see typeInstant).
      'intl.locale.requested': 'en-US',
      'intl.regional_prefs.use_os_locales': false,
    },
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
  });
  return { browser, close: () => browser.close() };
}

/**
 * Firefox for one test file. Its tabs run in a zone off UTC by a fraction of an hour: the
 * console's date-time pickers speak local time, so a test that reads the API's UTC instants
 * through them checks the conversion both ways.
 */
export function useFirefox() {
  return useBrowser(launchFirefox, { timeZone: kolkata.id });
}

/**
 * Types an instant (`YYYY-MM-DDTHH:mm:ss.sss`, local time) into the datetime-local picker this
 * `<label>` names, segment by segment as a person would in Firefox's en-US picker:
 * month, day, year, hour (12-hour clock), minute, second, millisecond, AM or PM.
 */
export async function typeInstant(page: Page, label: string, local: string): Promise<void> {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(local);
  if (!parts) throw new Error(`Not a local instant: ${local}`);
  const [, year, month, day, hour, minute, second, ms] = parts;
  const hours = Number(hour);
  const clock = String(hours % 12 || 12).padStart(2, '0');
  const half = hours < 12 ? 'A' : 'P';
  const field = await byLabel(page, label);
  // Focus lands on the first segment only when it comes from elsewhere.
  await field.evaluate((element) => {
    element.blur();
    element.focus();
  });
  await page.keyboard.type(`${month}${day}${year}${clock}${minute}${second}${ms}${half}`);
}
