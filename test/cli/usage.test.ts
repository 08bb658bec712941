import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '#cli/commands/index.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { closedPort, runCli } from './cli-process.ts';
import { expectedSignature } from './sigv4-reference.ts';
import { type StandInApi, startStandInApi } from './stand-in-api.ts';

let standIn: StandInApi;
let serverUrl: string;

beforeAll(async () => {
  standIn = await startStandInApi();
  standIn.answer(
    200,
    '{"name":"auth.x","value":1,"version":1,"updatedAt":"2026-01-01T00:00:00.000Z","updatedBy":"me"}',
  );
  serverUrl = standIn.url;
});

afterAll(async () => {
  await standIn.close();
});

describe('CLI: help', () => {
  it('lists every command and the exit codes with --help', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of commands)
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command.name} `, 'm'));
    expect(result.stdout).toContain('Exit codes:');
  });

  it('documents a command with <command> --help', async () => {
    const result = await runCli(['set', '--help']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: config-ledger set <name> \[<value>\] \[options\]\n/);
    expect(result.stdout).toContain('--expected-version <n>');
    expect(result.stdout).toContain('Examples:');
  });
});

describe('CLI: --version', () => {
  it("prints package.json's version without asking the API", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const result = await runCli(['--version'], { url });

    expect(result).toEqual({
      code: 0,
      stdout: `config-ledger ${packageJson.version}\n`,
      stderr: '',
    });
  });
});

describe('CLI: usage errors exit 1', () => {
  it.each([
    [['frobnicate'], "Unknown command 'frobnicate'"],
    [[], 'Missing command'],
    [['get'], 'Missing <name>'],
    [['get', 'a', '--bogus'], "Unknown option '--bogus'"],
  ])('%j', async (args, message) => {
    const result = await runCli(args, { url: serverUrl });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('says what is wrong with an option in one sentence, then where the options are', async () => {
    const result = await runCli(['get', 'a', '--bogus'], { url: serverUrl });

    expect(result.stderr).toBe(
      "config-ledger: Unknown option '--bogus'. Run 'config-ledger get --help' for the options.\n",
    );
  });

  it('reports a usage error as a JSON error body with --json', async () => {
    const result = await runCli(['get', '--json']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toEqual({
      error: 'usage_error',
      message: expect.stringContaining('Missing <name>'),
    });
  });
});

describe('CLI: network errors exit 5', () => {
  it('when nothing listens at the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const human = await runCli(['get', 'x'], { url });
    const json = await runCli(['list', '--json'], { url });

    expect(human).toMatchObject({ code: 5, stdout: '' });
    expect(human.stderr).toBe(`config-ledger: Cannot reach ${url}: ECONNREFUSED.\n`);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: 'network_error' });
  });
});

describe('CLI: authentication', () => {
  it('sends --token, or CONFIG_LEDGER_TOKEN, as a bearer token', async () => {
    standIn.received.length = 0;

    await runCli(['get', 'auth.x', '--token', 'abc.def.ghi'], { url: serverUrl });
    await runCli(['get', 'auth.x'], { url: serverUrl, env: { CONFIG_LEDGER_TOKEN: 'from.env' } });

    expect(standIn.received.map((request) => request.headers.authorization)).toEqual([
      'Bearer abc.def.ghi',
      'Bearer from.env',
    ]);
  });

  it('signs with SigV4 and the default credential chain, a signature the server can check', async () => {
    standIn.received.length = 0;
    const credentials = { accessKeyId: 'AKIDCLITEST', secretAccessKey: 'cli-test-secret' };

    const result = await runCli(
      ['set', 'svc:auth:x', '{"a": 1.0}', '--sigv4', '--comment', 'signed & sealed'],
      {
        url: serverUrl,
        env: {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_REGION: 'eu-west-1',
        },
      },
    );

    expect(result.code).toBe(0);
    const [request] = standIn.received;
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDCLITEST\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /,
    );
    expect(request && expectedSignature(request, credentials, 'eu-west-1')).toBe(
      /Signature=([0-9a-f]{64})$/.exec(String(request?.headers.authorization))?.[1],
    );
  });

  it('reads the token from standard input with --token-file -, out of the process list', async () => {
    standIn.received.length = 0;

    const result = await runCli(['get', 'auth.x', '--token-file', '-'], {
      url: serverUrl,
      stdin: 'from.stdin\n',
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(standIn.received.map((request) => request.headers.authorization)).toEqual([
      'Bearer from.stdin',
    ]);
  });

  it('warns on stderr when --token is given on the command line', async () => {
    const result = await runCli(['get', 'auth.x', '--token', 'abc.def.ghi'], { url: serverUrl });

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^config-ledger: warning: --token is visible to other users/);
  });

  it('refuses to send a token over plain http:// to another host, unless --insecure', async () => {
    standIn.received.length = 0;
    const env = { CONFIG_LEDGER_TOKEN: 'secret.token' };

    const refused = await runCli(['get', 'x'], { url: 'http://config.example.invalid', env });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^config-ledger: Refusing to send a bearer token over plain http:\/\/ to config\.example\.invalid: .+--insecure/,
    );
    expect(refused.stderr).not.toContain('secret.token');
    const insecure = await runCli(['get', 'x', '--insecure'], {
      url: 'http://config.example.invalid',
      env,
    });
    expect(insecure.code).toBe(5);
  });

  it('exits 1 when standard input should carry both the token and a value', async () => {
    const result = await runCli(['set', 'auth.x', '-', '--token-file', '-'], {
      url: serverUrl,
      stdin: 'from.stdin\n',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Standard input is already read (for --token-file -)');
  });

  it('exits 1 for --token with --sigv4, and for SigV4 without a region', async () => {
    const both = await runCli(['get', 'x', '--token', 't', '--sigv4'], { url: serverUrl });
    const noRegion = await runCli(['get', 'x', '--sigv4'], { url: serverUrl });

    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--token or --sigv4, not both');
    expect(noRegion.code).toBe(1);
    expect(noRegion.stderr).toContain('SigV4 needs a region');
  });
});
