import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Args } from '#cli/args.ts';
import { authFrom, baseUrlFrom, isExecuteApiHost, isLoopback, regionFromHost } from '#cli/auth.ts';
import { UsageError } from '#cli/errors.ts';
import type { Io } from '#cli/output.ts';
import { scratchDir } from '#test/scratch.ts';

const args = (values: Record<string, string | boolean> = {}) => new Args([], values);
const awsUrl = new URL('https://abc123.execute-api.eu-west-1.amazonaws.com');
const localUrl = new URL('http://127.0.0.1:4000');
const remoteHttp = new URL('http://config.example.com');

/** A terminal with this environment and standard input; what goes to stderr is kept. */
function io(env: NodeJS.ProcessEnv = {}, stdin = ''): Io & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    env,
    warnings,
    stdout: () => {},
    stderr: (text) => warnings.push(text),
    readStdin: async () => stdin,
  };
}

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
      expect(await authFrom(args(), io(), localUrl)).toEqual({ kind: 'none' });
    });

    it('prefers --token over CONFIG_LEDGER_TOKEN, and a token over SigV4 for an AWS host', async () => {
      const env = { CONFIG_LEDGER_TOKEN: 'from-env' };

      expect(await authFrom(args({ token: 'explicit' }), io(env), awsUrl)).toEqual({
        kind: 'bearer',
        token: 'explicit',
      });
      expect(await authFrom(args(), io(env), awsUrl)).toEqual({
        kind: 'bearer',
        token: 'from-env',
      });
    });

    it('signs for an execute-api host, and anywhere with --sigv4 and a region', async () => {
      expect((await authFrom(args(), io(), awsUrl)).kind).toBe('sigv4');
      expect(
        (await authFrom(args({ sigv4: true }), io({ AWS_REGION: 'us-east-1' }), localUrl)).kind,
      ).toBe('sigv4');
      expect(
        (await authFrom(args({ sigv4: true }), io({ CONFIG_LEDGER_TOKEN: 'ignored' }), awsUrl))
          .kind,
      ).toBe('sigv4');
    });

    it('throws a UsageError for --token with --sigv4, and for SigV4 without a region', async () => {
      await expect(authFrom(args({ token: 't', sigv4: true }), io(), awsUrl)).rejects.toThrow(
        UsageError,
      );
      await expect(authFrom(args({ sigv4: true }), io(), localUrl)).rejects.toThrow(
        /SigV4 needs a region/,
      );
    });
  });

  describe('Function: authFrom, where the token comes from', () => {
    it('reads --token-file, one token on one line, trimmed', async () => {
      const file = join(await scratchDir('token'), 'token');
      await writeFile(file, 'from.a.file\n');

      expect(await authFrom(args({ 'token-file': file }), io(), awsUrl)).toEqual({
        kind: 'bearer',
        token: 'from.a.file',
      });
    });

    it('reads standard input with --token-file -, and leaves no warning', async () => {
      const terminal = io({}, 'from.stdin\n');

      expect(await authFrom(args({ 'token-file': '-' }), terminal, awsUrl)).toEqual({
        kind: 'bearer',
        token: 'from.stdin',
      });
      expect(terminal.warnings).toEqual([]);
    });

    it('warns on stderr that --token shows in the process list, and still sends it', async () => {
      const terminal = io();

      expect(await authFrom(args({ token: 'on.the.command.line' }), terminal, awsUrl)).toEqual({
        kind: 'bearer',
        token: 'on.the.command.line',
      });
      expect(terminal.warnings).toEqual([
        expect.stringMatching(/^config-ledger: warning: --token is visible .+ process list/),
      ]);
    });

    it.each([
      ['an empty file', { 'token-file': '-' }, '', /No token in standard input/],
      ['a file of two lines', { 'token-file': '-' }, 'a\nb', /must be one line/],
      ['a file that is not there', { 'token-file': '/nonexistent/token' }, '', /Cannot read/],
      ['--token with --token-file', { token: 't', 'token-file': '-' }, 't', /not both/],
      ['--token-file with --sigv4', { 'token-file': '-', sigv4: true }, 't', /not both/],
    ])('throws a UsageError for %s', async (_, values, stdin, message) => {
      const act = authFrom(args(values), io({}, stdin), awsUrl);
      await expect(act).rejects.toThrow(UsageError);
      await expect(authFrom(args(values), io({}, stdin), awsUrl)).rejects.toThrow(message);
    });
  });

  describe('Function: authFrom, where a credential may go', () => {
    it.each([
      ['a token', args({ token: 't' }), {}],
      ['a token file', args({ 'token-file': '-' }), {}],
      ['CONFIG_LEDGER_TOKEN', args(), { CONFIG_LEDGER_TOKEN: 't' }],
      ['a SigV4 signature', args({ sigv4: true }), { AWS_REGION: 'eu-west-1' }],
    ])('refuses %s over plain http:// to another host', async (_, given, env) => {
      await expect(authFrom(given, io(env, 't'), remoteHttp)).rejects.toThrow(
        /^Refusing to send a (bearer token|SigV4 signature) over plain http:\/\/ to config\.example\.com: .+ Use https:\/\/, or --insecure/,
      );
    });

    it('sends it over http:// to another host with --insecure, and over https:// anywhere', async () => {
      const insecure = args({ 'token-file': '-', insecure: true });
      expect(await authFrom(insecure, io({}, 't'), remoteHttp)).toEqual({
        kind: 'bearer',
        token: 't',
      });
      expect((await authFrom(args(), io({ CONFIG_LEDGER_TOKEN: 't' }), awsUrl)).kind).toBe(
        'bearer',
      );
    });

    it.each([
      'http://127.0.0.1:4000',
      'http://127.8.9.10',
      'http://localhost:4000',
      'http://[::1]:4000',
    ])('sends it over http:// to this machine: %s', async (url) => {
      const auth = await authFrom(args(), io({ CONFIG_LEDGER_TOKEN: 't' }), new URL(url));
      expect(auth).toEqual({ kind: 'bearer', token: 't' });
    });

    it.each([
      ['127.0.0.1', true],
      ['localhost', true],
      ['[::1]', true],
      ['128.0.0.1', false],
      ['127.0.0.1.example.com', false],
      ['localhost.example.com', false],
      ['10.0.0.1', false],
    ])('isLoopback(%s) is %s', (host, expected) => {
      expect(isLoopback(host)).toBe(expected);
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
