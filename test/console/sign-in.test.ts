import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { screenshot } from './browser.ts';
import { useChromium } from './chromium.ts';
import { FakeSignIn } from './fake-sign-in.ts';
import { byRole, click, fill, waitForText } from './page-queries.ts';

const { url, api } = useLocalStack();
const chromium = useChromium();

/** A page of a console deployed with sign-in, and what goes wrong in it. */
async function signInConsole() {
  const signIn = new FakeSignIn(url());
  const { page, problems } = await chromium.newTab();
  await signIn.install(page);
  return { signIn, page, authorizations: signIn.apiAuthorizations, problems };
}

/** Opens the console and signs in. */
async function openSignedIn(page: Page): Promise<void> {
  await page.goto(`${url()}/`);
  await signInFromSignInPage(page);
  await byRole(page, 'button', 'Sign out');
}

/** Searches (an API call), and expects the console to ask for a new sign-in instead. */
async function searchIsRefused(page: Page): Promise<void> {
  await fill(page, 'Name prefix', 'any.');
  await click(page, 'button', 'Search');
  await waitForText(page, '[role="alert"]', 'Your sign-in has expired or was refused.');
}

async function signInFromSignInPage(page: Page): Promise<void> {
  await byRole(page, 'heading', 'Sign in');
  await click(page, 'button', 'Sign in');
}

describe('Console: sign-in (deployments with JWT authorization)', () => {
  it('signs in with the authorization code and PKCE, then sends the token with every API call', async () => {
    // Prepare
    await api.put('/config/signed.in.flag', { value: true });
    const { signIn, page, authorizations, problems } = await signInConsole();

    // Act: start on the time travel page, before signing in
    await page.goto(`${url()}/#/time`);
    await waitForText(page, 'main', 'Signs in at login.example.test.');
    await screenshot(page, 'sign-in');
    await signInFromSignInPage(page);
    await byRole(page, 'heading', 'Time travel');
    await click(page, 'link', 'Entries');
    await byRole(page, 'link', 'signed.in.flag');

    // Assess
    expect(signIn.issuedTokens).toEqual(['access-token-1']);
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer access-token-1']));
    expect(page.url()).toBe(`${url()}/#/`);
    expect(problems).toEqual([]);
  });

  it('says so when the sign-in service refuses, and signs in on the next try', async () => {
    // Prepare
    const { signIn, page } = await signInConsole();
    signIn.refuseWith = { error: 'access_denied', description: 'User is not in the ops group' };

    // Act
    await page.goto(`${url()}/`);
    await signInFromSignInPage(page);

    // Assess
    await waitForText(
      page,
      '[role="alert"]',
      'The sign-in service refused: User is not in the ops group.',
    );
    expect(page.url()).toBe(`${url()}/`);
    expect(signIn.issuedTokens).toEqual([]);
    await signInFromSignInPage(page);
    await byRole(page, 'button', 'Sign out');
    expect(signIn.issuedTokens).toHaveLength(1);
  });

  it('refuses an answer this tab did not ask for', async () => {
    // Prepare
    const { signIn, page } = await signInConsole();

    // Act: a link carrying someone else's code
    await page.goto(`${url()}/?code=stolen-code&state=forged-state`);

    // Assess
    await waitForText(page, '[role="alert"]', 'does not belong to a sign-in started in this tab');
    expect(signIn.issuedTokens).toEqual([]);
    expect(page.url()).not.toContain('stolen-code');
  });

  it('asks to sign in again when the API refuses the token, and after signing out', async () => {
    // Prepare
    const { signIn, page, authorizations } = await signInConsole();
    await openSignedIn(page);

    // Act: the API stops accepting the token (expired or revoked at the issuer)
    signIn.revokeTokens();

    // Assess
    await searchIsRefused(page);
    await signInFromSignInPage(page);
    await click(page, 'button', 'Sign out');
    await waitForText(page, 'main', 'You have signed out.');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(authorizations.at(-1)).toBe('Bearer access-token-2');
  });

  it('asks to sign in again once the token has expired in this tab', async () => {
    // Prepare: signed in, then the token's lifetime runs out
    const { signIn, page } = await signInConsole();
    const expire = () =>
      page.evaluate(
        `sessionStorage.setItem('config-ledger.token', JSON.stringify({ accessToken: 'old', expiresAt: Date.now() - 1 }))`,
      );
    await openSignedIn(page);

    // Act: the console no longer sends the expired token, so the API refuses the call
    await expire();

    // Assess
    await searchIsRefused(page);
    expect(signIn.apiAuthorizations.at(-1)).toBeUndefined();
    await signInFromSignInPage(page);
    await byRole(page, 'button', 'Sign out');
    expect(signIn.issuedTokens).toHaveLength(2);

    // Act: the token expires again, and the console is opened anew in this tab
    await expire();
    await page.reload();

    // Assess: it says why it asks to sign in
    await waitForText(page, '[role="alert"]', 'Your sign-in has expired.');
  });
});
