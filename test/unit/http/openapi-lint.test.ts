import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';

const run = promisify(execFile);

interface Problem {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly location: { readonly pointer?: string }[];
}

/**
 * Redocly's recommended rules, every one of them an error (`recommended-strict`): the document
 * is generated, so a warning is never a one-off to live with but a flaw of the generator, on
 * every operation it touches, and cheap to fix there. One rule is left out on purpose:
 * info-license asks for a licence, and this private service has none to name.
 */
async function lint(document: unknown): Promise<Problem[]> {
  const folder = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  const file = join(folder, 'openapi.json');
  try {
    await writeFile(file, JSON.stringify(document));
    const { stdout } = await run(
      process.execPath,
      [
        'node_modules/@redocly/cli/bin/cli.js',
        'lint',
        file,
        '--extends=recommended-strict',
        '--skip-rule=info-license',
        '--format=json',
      ],
      {
        // No usage data sent, no update check: the linter talks to no one.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return (JSON.parse(stdout) as { problems: Problem[] }).problems;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

describe('Module: openapi, under Redocly', () => {
  it("passes every rule of Redocly's recommended set, warnings included", async () => {
    const problems = await lint(openApiDocument());

    const described = problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`,
    );
    expect(described).toEqual([]);
  });

  it('finds the problems it is there to find', async () => {
    const { servers: _, ...withoutServers } = openApiDocument();

    const problems = await lint(withoutServers);

    expect(problems.map((problem) => problem.ruleId)).toContain('no-empty-servers');
  });
});
