import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the console: served by the local stack, uploaded by the CDK stack. */
export const consoleBuildDir = fileURLToPath(new URL('./dist/', import.meta.url));

/**
 * How long browsers keep the console's files, wherever they are served from: the hashed assets
 * (in assets/) never change under their name; index.html and the settings must be asked for
 * again, so a deploy reaches open browsers at their next load.
 */
export const consoleCacheControl = {
  assets: 'public, max-age=31536000, immutable',
  pages: 'no-cache',
} as const;

/**
 * The headers every file of the console is sent with, by the local stack and by CloudFront alike,
 * so the browser tests run the console under the policy it is deployed with. Script, styles and
 * requests stay on the console's own origin; `connectOrigins` adds the sign-in service's token
 * endpoint. (HSTS is left to the HTTPS host: on the local stack's plain HTTP it means nothing.)
 */
export function consoleSecurityHeaders(connectOrigins: readonly string[] = []) {
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectOrigins].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  } as const;
}
