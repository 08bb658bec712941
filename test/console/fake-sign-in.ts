import { createHash } from 'node:crypto';
import type { Page, Route } from 'playwright-core';
import { consoleSecurityHeaders } from '../../console/hosting.ts';
import type { ConsoleSettings } from '../../console/src/settings-schema.ts';
import { settingsPath } from '../../console/src/settings-schema.ts';

const origin = 'https://login.example.test';

/**
 * An OAuth 2.0 authorization server inside the browser's network layer: it signs everyone in
 * at once (or refuses, when told to), and checks what a real one checks: the client, the
 * redirect URI, and that the PKCE verifier hashes to the challenge. The console's host is
 * made to answer like the deployed one: with the sign-in settings and the deployed CSP.
 */
export class FakeSignIn {
  readonly settings: ConsoleSettings = {
    signIn: {
      clientId: 'console-client',
      authorizeUrl: `${origin}/oauth2/authorize`,
      tokenUrl: `${origin}/oauth2/token`,
      scopes: ['openid', 'config:read', 'config:write'],
    },
  };
  /** When set, the next sign-in is refused with this OAuth error. */
  refuseWith?: { error: string; description: string };
  readonly issuedTokens: string[] = [];
  private readonly challenges = new Map<string, string>();

  constructor(private readonly consoleUrl: string) {}

  async install(page: Page): Promise<void> {
    await page.route(
      (url) => url.href.startsWith(this.consoleUrl) && url.pathname === '/',
      (route) => this.servePage(route),
    );
    await page.route(`${this.consoleUrl}${settingsPath}`, (route) =>
      route.fulfill({ json: this.settings }),
    );
    await page.route(`${origin}/oauth2/authorize**`, (route) => this.authorize(route));
    await page.route(`${origin}/oauth2/token`, (route) => this.token(route));
  }

  /** index.html with the headers CloudFront sends: its CSP allows the token endpoint. */
  private async servePage(route: Route): Promise<void> {
    const response = await route.fetch();
    const headers = { ...response.headers(), ...consoleSecurityHeaders([origin]) };
    await route.fulfill({ response, headers });
  }

  private async authorize(route: Route): Promise<void> {
    const query = new URL(route.request().url()).searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    const state = query.get('state') ?? '';
    const valid =
      query.get('response_type') === 'code' &&
      query.get('client_id') === this.settings.signIn?.clientId &&
      redirectUri === `${this.consoleUrl}/` &&
      query.get('code_challenge_method') === 'S256' &&
      query.get('scope') === this.settings.signIn?.scopes.join(' ');
    if (!valid) {
      await route.fulfill({ status: 400, body: `Bad authorization request: ${query}` });
      return;
    }
    const answer = new URL(redirectUri);
    if (this.refuseWith) {
      answer.searchParams.set('error', this.refuseWith.error);
      answer.searchParams.set('error_description', this.refuseWith.description);
      this.refuseWith = undefined;
    } else {
      const code = `code-${this.challenges.size + 1}`;
      this.challenges.set(code, query.get('code_challenge') ?? '');
      answer.searchParams.set('code', code);
    }
    answer.searchParams.set('state', state);
    // A page that sends the browser back, as a sign-in form does once submitted (a 302 would
    // be followed inside the browser, past the console host's routes).
    const back = answer.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta http-equiv="refresh" content="0;url=${back}"><title>Signed in</title>`,
    });
  }

  private async token(route: Route): Promise<void> {
    const cors = { 'access-control-allow-origin': this.consoleUrl };
    const form = new URLSearchParams(route.request().postData() ?? '');
    const code = form.get('code') ?? '';
    const challenge = this.challenges.get(code);
    this.challenges.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const proven =
      challenge !== undefined &&
      createHash('sha256').update(verifier).digest('base64url') === challenge &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === this.settings.signIn?.clientId &&
      form.get('redirect_uri') === `${this.consoleUrl}/`;
    if (!proven) {
      await route.fulfill({ status: 400, headers: cors, json: { error: 'invalid_grant' } });
      return;
    }
    const token = `access-token-${this.issuedTokens.length + 1}`;
    this.issuedTokens.push(token);
    await route.fulfill({
      headers: cors,
      json: { access_token: token, token_type: 'Bearer', expires_in: 3600 },
    });
  }
}
