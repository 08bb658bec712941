import { createHash } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { routedToApi } from '#test/cloudfront-paths.ts';
import { consoleSecurityHeaders } from '../../console/hosting.ts';
import type { ConsoleSettings } from '../../console/src/settings-schema.ts';
import { settingsPath } from '../../console/src/settings-schema.ts';

const origin = 'https://login.example.test';

/** What the browser asked for. */
interface Request {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly postData?: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The routes API Gateway guards with the JWT authorizer: all but the health check. */
function isProtectedApiPath(path: string): boolean {
  return routedToApi(path) && path !== '/health';
}

const html = (body: string): Answer => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

/**
 * An OAuth 2.0 authorization server inside the browser's network layer: it signs everyone in
 * at once (or refuses, when told to), and checks what a real one checks: the client, the
 * redirect URI, and that the PKCE verifier hashes to the challenge. The console's host is
 * made to answer like the deployed one: with the sign-in settings and the deployed CSP. It
 * records the Authorization header of every API call the console makes.
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
  /** The Authorization header of each call to /config…, in order (undefined: none sent). */
  readonly apiAuthorizations: (string | undefined)[] = [];
  private readonly challenges = new Map<string, string>();
  private readonly revoked: string[] = [];

  constructor(private readonly consoleUrl: string) {}

  /** Answers the requests it stands in for, in a page of either browser. */
  async install(page: Page): Promise<void> {
    await page.setRequestInterception(true);
    page.on('request', async (request) => {
      // Over WebDriver BiDi a body is fetched on demand, and only a POST has one here.
      const postData = request.method() === 'POST' ? await request.fetchPostData() : undefined;
      const answer = await this.answer({
        url: request.url(),
        headers: request.headers(),
        postData,
      });
      await (answer
        ? request.respond({ status: answer.status, headers: answer.headers, body: answer.body })
        : request.continue());
    });
  }

  /** The API stops accepting every token issued so far, as when they expire or are revoked. */
  revokeTokens(): void {
    this.revoked.push(...this.issuedTokens);
  }

  private accepts(authorization: string | undefined): boolean {
    const token = authorization?.replace(/^Bearer /, '');
    return (
      token !== undefined && this.issuedTokens.includes(token) && !this.revoked.includes(token)
    );
  }

  /** The answer to a request, or undefined to let it through to the local stack. */
  private async answer(request: Request): Promise<Answer | undefined> {
    const url = new URL(request.url);
    if (url.href.startsWith(this.consoleUrl)) return this.asConsoleHost(url, request);
    if (url.origin !== origin) return undefined;
    if (url.pathname === '/oauth2/authorize') return this.authorize(url.searchParams);
    if (url.pathname === '/oauth2/token') return this.token(request.postData);
    // Nothing meant for the fake service ever reaches the network.
    return { ...html('Not found'), status: 404 };
  }

  /** The console's host as deployed: settings, the page under its CSP, the API's authorizer. */
  private async asConsoleHost(url: URL, request: Request): Promise<Answer | undefined> {
    if (url.pathname.startsWith('/config')) {
      this.apiAuthorizations.push(request.headers.authorization);
    }
    if (isProtectedApiPath(url.pathname) && !this.accepts(request.headers.authorization)) {
      // What API Gateway's JWT authorizer answers, before the service sees the request.
      return {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Unauthorized"}',
      };
    }
    if (url.pathname === settingsPath) {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.settings),
      };
    }
    return url.pathname === '/' ? this.consolePage() : undefined;
  }

  /** index.html with the headers CloudFront sends: its CSP allows the token endpoint. */
  private async consolePage(): Promise<Answer> {
    const page = await fetch(`${this.consoleUrl}/`);
    return {
      status: page.status,
      headers: {
        'content-type': page.headers.get('content-type') ?? 'text/html',
        ...consoleSecurityHeaders([origin]),
      },
      body: await page.text(),
    };
  }

  private authorize(query: URLSearchParams): Answer {
    const redirectUri = query.get('redirect_uri') ?? '';
    const valid =
      query.get('response_type') === 'code' &&
      query.get('client_id') === this.settings.signIn?.clientId &&
      redirectUri === `${this.consoleUrl}/` &&
      query.get('code_challenge_method') === 'S256' &&
      query.get('scope') === this.settings.signIn?.scopes.join(' ');
    if (!valid) return { ...html(`Bad authorization request: ${query}`), status: 400 };
    const answer = new URL(redirectUri);
    if (this.refuseWith) {
      answer.searchParams.set('error', this.refuseWith.error);
      answer.searchParams.set('error_description', this.refuseWith.description);
      this.refuseWith = undefined;
    } else {
      const code = `code-${this.challenges.size + this.issuedTokens.length + 1}`;
      this.challenges.set(code, query.get('code_challenge') ?? '');
      answer.searchParams.set('code', code);
    }
    answer.searchParams.set('state', query.get('state') ?? '');
    // A page that sends the browser back, as a sign-in form does once submitted (a 302 would
    // be followed inside the browser, past the console host's interception).
    const back = answer.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return html(
      `<!doctype html><meta http-equiv="refresh" content="0;url=${back}"><link rel="icon" href="data:,"><title>OK</title>`,
    );
  }

  private token(postData: string | undefined): Answer {
    const cors = {
      'access-control-allow-origin': this.consoleUrl,
      'content-type': 'application/json',
    };
    const form = new URLSearchParams(postData ?? '');
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
      return { status: 400, headers: cors, body: JSON.stringify({ error: 'invalid_grant' }) };
    }
    const token = `access-token-${this.issuedTokens.length + 1}`;
    this.issuedTokens.push(token);
    return {
      status: 200,
      headers: cors,
      body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }),
    };
  }
}
