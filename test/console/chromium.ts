import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { desktop, type Launched, type TabOptions, useBrowser } from './browser.ts';

/** Debian's Chromium (`apt-get install chromium`), unless CHROMIUM_PATH names another. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `headless: true` adds Chromium's --headless. Without the networking switches, Chromium keeps
 * calling Google's services, which a closed network refuses many times a second.
 */
const chromiumArgs = [
  // Dates and times read the same as in the Firefox tests (and the tests' expectations).
  '--lang=en-US',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium on a fresh profile, driven over the DevTools protocol; the profile goes with it. */
async function launchChromium(): Promise<Launched> {
  const profile = await mkdtemp(join(tmpdir(), 'config-ledger-chromium-'));
  const browser = await puppeteer.launch({
    browser: 'chrome',
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    userDataDir: profile,
    defaultViewport: desktop,
  });
  const close = async () => {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

/**
 * Chromium for one test file. Its tabs run in UTC unless asked otherwise, so the console's
 * local times read the same as the API's instants.
 */
export function useChromium(defaults: TabOptions = { timeZone: 'UTC' }) {
  return useBrowser(launchChromium, defaults);
}
