import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeForStatus, exitCodes, exitCodeTable } from '#cli/errors.ts';
import { runCli } from './cli-process.ts';
import { type StandInApi, startStandInApi } from './stand-in-api.ts';

let standIn: StandInApi;

beforeAll(async () => {
  standIn = await startStandInApi();
});

afterAll(async () => {
  await standIn.close();
});

const errorBody = (code: string) => JSON.stringify({ error: code, message: `It is ${code}.` });

describe('CLI: exit codes say what went wrong, whoever noticed it', () => {
  it.each([
    [400, 'validation_error', exitCodes.invalid],
    [413, 'value_too_large', exitCodes.invalid],
    [415, 'unsupported_media_type', exitCodes.invalid],
    [422, 'idempotency_key_reused', exitCodes.invalid],
    [404, 'not_found', exitCodes.notFound],
    [404, 'revision_not_found', exitCodes.notFound],
    [404, 'route_not_found', exitCodes.refused],
    [409, 'version_conflict', exitCodes.conflict],
    [412, 'precondition_failed', exitCodes.conflict],
    [401, 'http_401', exitCodes.refused],
    [403, 'http_403', exitCodes.refused],
    [500, 'internal_error', exitCodes.refused],
    [429, 'http_429', exitCodes.unavailable],
    [502, 'http_502', exitCodes.unavailable],
    [503, 'write_contention', exitCodes.unavailable],
    [504, 'http_504', exitCodes.unavailable],
  ])('HTTP %i %s exits %i', async (status, code, exitCode) => {
    standIn.answer(status, errorBody(code));

    const result = await runCli(['get', 'x'], { url: standIn.url });

    expect(result).toMatchObject({ code: exitCode, stdout: '' });
    expect(exitCodeForStatus(status, code)).toBe(exitCode);
  });

  it('exits 1 both for a version the CLI refuses and for a timestamp the API refuses', async () => {
    standIn.answer(400, errorBody('validation_error'));
    standIn.received.length = 0;

    const badVersion = await runCli(['revert', 'x', 'two'], { url: standIn.url });
    const badTimestamp = await runCli(['at', 'x', 'yesterday'], { url: standIn.url });

    expect(badVersion.code).toBe(1);
    expect(badTimestamp.code).toBe(1);
    // The version was refused before any request; the timestamp by the API.
    expect(standIn.received.map((request) => request.url)).toEqual(['/config/x/at/yesterday']);
  });

  it('tries again when the API answers 503 with Retry-After, then exits 6', async () => {
    standIn.answer(503, errorBody('write_contention'), { 'retry-after': '0' });
    standIn.received.length = 0;

    const result = await runCli(['set', 'x', '1'], { url: standIn.url });

    expect(result.code).toBe(6);
    expect(result.stderr).toBe(
      'config-ledger: It is write_contention. (HTTP 503 write_contention)\n',
    );
    expect(standIn.received).toHaveLength(4);
  });

  it('does not send again a request a gateway answered 502 without Retry-After: it may have landed', async () => {
    standIn.answer(502, 'Bad Gateway');
    standIn.received.length = 0;

    const result = await runCli(['set', 'x', '1'], { url: standIn.url });

    expect(result.code).toBe(6);
    expect(standIn.received).toHaveLength(1);
  });

  it('documents every code in the help, in the order of the table', async () => {
    const result = await runCli(['--help']);

    const documented = [...result.stdout.matchAll(/^ {2}( {0,2}\d{1,3}) {2}\S/gm)].map((match) =>
      Number(match[1]),
    );
    expect(documented).toEqual(exitCodeTable.map((row) => row.code));
  });

  it('documents the same table in docs/cli.md', async () => {
    const docs = await readFile('docs/cli.md', 'utf8');
    const section = docs.slice(docs.indexOf('## Exit codes'));

    const rows = [...section.matchAll(/^\| (\d+) +\| (.+?) +\|$/gm)].map((match) => ({
      code: Number(match[1]),
      meaning: match[2]?.replaceAll('`', ''),
    }));
    expect(rows).toEqual(exitCodeTable);
  });
});
