import * as z from 'zod/mini';

/**
 * Where the console's host tells it how to sign in. The CDK stack writes this file next to
 * index.html; the local stack answers it itself, with no sign-in.
 */
export const settingsPath = '/console-settings.json';

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });

/** OAuth 2.0 authorization code flow with PKCE, for a public client (no secret in a browser). */
export const signInSettingsSchema = z.object({
  clientId: z.string().check(z.minLength(1, 'must not be empty')),
  authorizeUrl: httpsUrl,
  tokenUrl: httpsUrl,
  scopes: z.array(z.string().check(z.minLength(1))),
});

export const consoleSettingsSchema = z.object({ signIn: z.optional(signInSettingsSchema) });

export type SignInSettings = z.infer<typeof signInSettingsSchema>;
export type ConsoleSettings = z.infer<typeof consoleSettingsSchema>;
