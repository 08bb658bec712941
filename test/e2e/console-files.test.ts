import { describe, expect, it } from 'vitest';
import { rawRequest } from '#test/http.ts';
import { useLocalStack } from '#test/local-stack-process.ts';
import { consoleCacheControl, consoleSecurityHeaders } from '../../console/hosting.ts';
import { consoleSettingsSchema, settingsPath } from '../../console/src/settings-schema.ts';

const { url, api } = useLocalStack();

describe('E2E: the local stack serves the web console', () => {
  it('answers / with the console page, and its assets by path', async () => {
    // Act
    const index = await api.get('/');

    // Assess
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const asset = await api.get(script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe(consoleCacheControl.pages);
    expect(asset.headers.get('cache-control')).toBe(consoleCacheControl.assets);
  });

  it('answers the console settings itself: valid, asking for no sign-in, never cached', async () => {
    // Act
    const settings = await api.get(settingsPath);

    // Assess: the console loads them on every page load, so they must never 404
    expect(settings.status).toBe(200);
    expect(settings.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(settings.headers.get('cache-control')).toBe(consoleCacheControl.pages);
    expect(consoleSettingsSchema.parse(settings.body)).toEqual({});
  });

  it('sends every console file with the security headers it is deployed with', async () => {
    // Act
    const index = await api.get('/');

    // Assess: the browser tests run the console under its deployed content security policy
    for (const [header, value] of Object.entries(consoleSecurityHeaders())) {
      expect(index.headers.get(header), header).toBe(value);
    }
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('keeps the JSON 404 for unknown paths and for other methods on console paths', async () => {
    for (const [method, path] of [
      ['GET', '/nothing/here'],
      ['PUT', '/'],
      ['POST', '/index.html'],
    ] as const) {
      const response = await api.call(method, path);
      expect(response.status).toBe(404);
      expect(response.body.error).toBe('route_not_found');
    }
  });

  it('never reads a file outside the console build', async () => {
    for (const path of [
      '/../package.json',
      '/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/README.md',
    ]) {
      const response = await rawRequest(url(), { method: 'GET', path });
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('config-ledger');
    }
  });
});
