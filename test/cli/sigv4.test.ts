import { describe, expect, it } from 'vitest';
import { createSigV4Signer } from '#client/sigv4.ts';
import { expectedSignature } from './sigv4-reference.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const signingDate = new Date('2026-02-12T10:00:00Z');
const url = new URL(
  'https://abc123defg.execute-api.eu-west-1.amazonaws.com/config/payments.retries?consistent=true',
);

function sign(body: string, signer = createSigV4Signer('eu-west-1', async () => credentials)) {
  return signer(
    { method: 'PUT', url, headers: { 'content-type': 'application/json' }, body },
    signingDate,
  );
}

describe('Module: sigv4', () => {
  describe('Function: createSigV4Signer', () => {
    it('signs for execute-api in the region, at the given time, over the body', async () => {
      // Act
      const headers = await sign('{"value":3}');

      // Assess
      expect(headers['x-amz-date']).toBe('20260212T100000Z');
      expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260212\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
      );
      expect(headers).not.toHaveProperty('host');
      expect(headers['content-type']).toBe('application/json');
    });

    it('produces the signature the specification gives', async () => {
      // Act
      const headers = await sign('{"value":3}');

      // Assess
      const expected = expectedSignature(
        {
          method: 'PUT',
          url: `${url.pathname}${url.search}`,
          headers: { ...headers, host: url.host },
          body: '{"value":3}',
        },
        credentials,
        'eu-west-1',
      );
      expect(headers.authorization?.endsWith(`Signature=${expected}`)).toBe(true);
    });

    it('signs the same request the same way, and a different body differently', async () => {
      // Act
      const [first, again, other] = await Promise.all([
        sign('{"value":3}'),
        sign('{"value":3}'),
        sign('{"value":4}'),
      ]);

      // Assess
      expect(again.authorization).toBe(first.authorization);
      expect(other.authorization).not.toBe(first.authorization);
      expect(other['x-amz-content-sha256']).not.toBe(first['x-amz-content-sha256']);
    });

    it('sends and signs the session token of temporary credentials', async () => {
      // Prepare
      const signer = createSigV4Signer('eu-west-1', async () => ({
        ...credentials,
        sessionToken: 'session-token',
      }));

      // Act
      const headers = await sign('{}', signer);

      // Assess
      expect(headers['x-amz-security-token']).toBe('session-token');
      expect(headers.authorization).toContain('x-amz-security-token');
    });
  });
});
