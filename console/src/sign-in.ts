import * as z from 'zod/mini';
import type { SignInSettings } from './settings-schema.ts';

/**
 * Sign-in with the OAuth 2.0 authorization code flow and PKCE (RFC 7636): the browser is a
 * public client, so it proves with a one-time verifier, not a secret, that it started the flow.
 * The access token lives in sessionStorage: one tab, gone when the tab closes.
 */
const tokenKey = 'config-ledger.token';
const pendingKey = 'config-ledger.sign-in';
/** A token this close to its expiry counts as expired, so no request races the expiry. */
const expiryMarginMs = 30_000;

/** A sign-in that failed, in words for the sign-in page. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

const storedTokenSchema = z.object({
  accessToken: z.string(),
  expiresAt: z.optional(z.number()),
});

const pendingSchema = z.object({ state: z.string(), verifier: z.string(), returnTo: z.string() });

const tokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.optional(z.number()),
});

const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.optional(z.string()),
});

type StoredToken = z.infer<typeof storedTokenSchema>;

/** A token this close to its expiry counts as expired (expiryMarginMs). */
function isLive(token: StoredToken, now: number): boolean {
  return token.expiresAt === undefined || token.expiresAt - expiryMarginMs > now;
}

/** The access token for the API, unless there is none or it has (nearly) expired. */
export function currentToken(now = Date.now()): string | undefined {
  const stored = readStored(tokenKey, storedTokenSchema);
  return stored && isLive(stored, now) ? stored.accessToken : undefined;
}

/** Whether this tab holds a token that is no longer good: its user signed in, a while ago. */
export function hasExpiredToken(now = Date.now()): boolean {
  const stored = readStored(tokenKey, storedTokenSchema);
  return stored !== undefined && !isLive(stored, now);
}

/** What the console says when the API refuses the token (401). */
export const refusedMessage = 'Your sign-in has expired or was refused. Sign in again to continue.';

/** Sends the browser to the sign-in service; it comes back to the console's address. */
export async function startSignIn(settings: SignInSettings, returnTo: string): Promise<void> {
  const state = randomText();
  const verifier = randomText();
  sessionStorage.setItem(pendingKey, JSON.stringify({ state, verifier, returnTo }));
  const url = new URL(settings.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: settings.scopes.join(' '),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.href);
}

/** Whether this address is the sign-in service's answer (a code or an error). */
export function isSignInAnswer(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}

/**
 * Trades the answer's code for a token and returns where the user was when sign-in started.
 * An answer this browser did not ask for (wrong or missing state) is refused.
 */
export async function finishSignIn(settings: SignInSettings, url: URL): Promise<string> {
  const pending = readStored(pendingKey, pendingSchema);
  sessionStorage.removeItem(pendingKey);
  const answer = url.searchParams;
  const refusal = answer.get('error');
  if (refusal !== null) {
    const description = answer.get('error_description');
    throw new SignInError(`The sign-in service refused: ${description ?? refusal}.`);
  }
  const code = answer.get('code');
  if (!pending || !code || answer.get('state') !== pending.state) {
    throw new SignInError(
      'This sign-in answer does not belong to a sign-in started in this tab. Sign in again.',
    );
  }
  const token = await redeem(settings, code, pending.verifier);
  const expiresAt =
    token.expires_in === undefined ? undefined : Date.now() + token.expires_in * 1000;
  sessionStorage.setItem(tokenKey, JSON.stringify({ accessToken: token.access_token, expiresAt }));
  return pending.returnTo;
}

async function redeem(settings: SignInSettings, code: string, verifier: string) {
  let response: Response;
  try {
    response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri(),
        client_id: settings.clientId,
        code_verifier: verifier,
      }),
    });
  } catch (error) {
    throw new SignInError(
      `The sign-in service could not be reached (${(error as Error).message}).`,
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refusal = tokenErrorSchema.safeParse(body);
    const reason = refusal.success
      ? (refusal.data.error_description ?? refusal.data.error)
      : `HTTP ${response.status}`;
    throw new SignInError(`The sign-in service did not issue a token: ${reason}.`);
  }
  const token = tokenResponseSchema.safeParse(body);
  if (!token.success || token.data.token_type.toLowerCase() !== 'bearer') {
    throw new SignInError('The sign-in service answered without a bearer access token.');
  }
  return token.data;
}

/** The console's own address: what the sign-in service sends the browser back to. */
export function redirectUri(): string {
  return `${window.location.origin}/`;
}

function readStored<T>(key: string, schema: z.ZodMiniType<T>): T | undefined {
  const text = sessionStorage.getItem(key);
  if (text === null) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** 32 random bytes, base64url: a state or a PKCE verifier (43 characters, as RFC 7636 asks). */
function randomText(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function base64Url(bytes: Uint8Array): string {
  const binary = Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Why the token is gone: the API refused it (expired or revoked), or the user signed out. */
export type SignOutReason = 'refused' | 'signed-out';

const signOutListeners = new Set<(reason: SignOutReason) => void>();

/** Calls back when the token goes; returns the unsubscribe. */
export function onSignedOut(listener: (reason: SignOutReason) => void): () => void {
  signOutListeners.add(listener);
  return () => signOutListeners.delete(listener);
}

export function signOut(reason: SignOutReason): void {
  sessionStorage.removeItem(tokenKey);
  for (const listener of signOutListeners) listener(reason);
}
