import { describe, expect, it } from 'vitest';
import { Args } from '#cli/args.ts';
import { authFrom, baseUrlFrom, isExecuteApiHost, regionFromHost } from '#cli/auth.ts';
import { UsageError } from '#cli/errors.ts';

const args = (values: Record<string, string | boolean> = {}) => new Args([], values);
const awsUrl = new URL('https://abc123.execute-api.eu-west-1.amazonaws.com');
const localUrl = new URL('http://127.0.0.1:4000');

describe('Module: auth', () => {
  describe('Function: baseUrlFrom', () => {
    it('takes --url first, then CONFIG_LEDGER_URL, then the local stack', () => {
      const env = { CONFIG_LEDGER_URL: 'https://config.example.com/prod' };

      expect(baseUrlFrom(args({ url: 'http://localhost:9000' }), env).href).toBe(
        'http://localhost:9000/',
      );
      expect(baseUrlFrom(args(), env).href).toBe('https://config.example.com/prod');
      expect(baseUrlFrom(args(), {}).href).toBe('http://127.0.0.1:4000/');
    });

    it.each(['not a url', 'ftp://example.com'])('throws a UsageError for %s', (url) => {
      expect(() => baseUrlFrom(args({ url }), {})).toThrow(UsageError);
    });
  });

  describe('Function: authFrom', () => {
    it('sends nothing to the local stack', async () => {
      expect(await authFrom(args(), {}, localUrl)).toEqual({ kind: 'none' });
    });

    it('prefers --token over CONFIG_LEDGER_TOKEN, and a token over SigV4 for an AWS host', async () => {
      const env = { CONFIG_LEDGER_TOKEN: 'from-env' };

      expect(await authFrom(args({ token: 'explicit' }), env, awsUrl)).toEqual({
        kind: 'bearer',
        token: 'explicit',
      });
      expect(await authFrom(args(), env, awsUrl)).toEqual({ kind: 'bearer', token: 'from-env' });
    });

    it('signs for an execute-api host, and anywhere with --sigv4 and a region', async () => {
      expect((await authFrom(args(), {}, awsUrl)).kind).toBe('sigv4');
      expect(
        (await authFrom(args({ sigv4: true }), { AWS_REGION: 'us-east-1' }, localUrl)).kind,
      ).toBe('sigv4');
      expect(
        (await authFrom(args({ sigv4: true }), { CONFIG_LEDGER_TOKEN: 'ignored' }, awsUrl)).kind,
      ).toBe('sigv4');
    });

    it('throws a UsageError for --token with --sigv4, and for SigV4 without a region', async () => {
      await expect(authFrom(args({ token: 't', sigv4: true }), {}, awsUrl)).rejects.toThrow(
        UsageError,
      );
      await expect(authFrom(args({ sigv4: true }), {}, localUrl)).rejects.toThrow(
        /SigV4 needs a region/,
      );
    });
  });

  describe('Function: regionFromHost', () => {
    it.each([
      ['abc123.execute-api.eu-west-1.amazonaws.com', 'eu-west-1'],
      ['abc123.execute-api.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
      ['config.example.com', undefined],
      ['execute-api.eu-west-1.amazonaws.com.evil.example', undefined],
    ])('%s → %s', (host, region) => {
      expect(regionFromHost(host)).toBe(region);
      expect(isExecuteApiHost(host)).toBe(region !== undefined);
    });
  });
});
