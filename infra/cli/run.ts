// Bundled into the build by esbuild: --version reads no file and asks no server.

import { ConfigLedgerClientError } from '#client/errors.ts';
import { HttpClient } from '#client/http.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { parseCommandLine } from './args.ts';
import { authFrom, baseUrlFrom } from './auth.ts';
import { commands } from './commands/index.ts';
import { ApiError, CliError, exitCodeOf, exitCodes, UsageError } from './errors.ts';
import { commandHelp, generalHelp } from './help.ts';
import { type Io, Output } from './output.ts';
import { whenTheApiAsks } from './retry.ts';

/** Runs one command line and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  // Known before parsing succeeds, so that a usage error is reported as JSON too.
  let json = argv.includes('--json');
  try {
    const line = parseCommandLine(argv, commands);
    if (line.kind === 'version') {
      io.stdout(`config-ledger ${packageJson.version}\n`);
      return exitCodes.ok;
    }
    if (line.kind === 'help') {
      io.stdout(line.command ? commandHelp(line.command) : generalHelp(commands));
      return exitCodes.ok;
    }
    json = line.args.flag('json');
    const once = stdinReadOnce(io);
    const baseUrl = baseUrlFrom(line.args, io.env);
    const auth = await authFrom(line.args, once, baseUrl);
    const api = new HttpClient({ baseUrl, auth, retry: whenTheApiAsks });
    await line.command.run({ args: line.args, api, out: new Output(once, json), io: once });
    return exitCodes.ok;
  } catch (error) {
    return report(error, io, json);
  }
}

/** Standard input carries one thing: the token (--token-file -) or a value, not both. */
function stdinReadOnce(io: Io): Io {
  let read = false;
  return {
    ...io,
    readStdin: () => {
      if (read) {
        throw new UsageError(
          "Standard input is already read (for --token-file -): give the other input in a file, not '-'.",
        );
      }
      read = true;
      return io.readStdin();
    },
  };
}

/**
 * One line on stderr: for a person, the message (and the API's status and code); with --json,
 * the API's error body as received, or an error body of the same shape for the CLI's own errors.
 */
function report(error: unknown, io: Io, json: boolean): number {
  if (!(error instanceof CliError || error instanceof ConfigLedgerClientError)) {
    io.stderr(`config-ledger: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return exitCodes.refused;
  }
  if (json) {
    const body =
      error instanceof ApiError && error.body.trim() !== ''
        ? error.body.trim()
        : JSON.stringify({ error: error.code, message: error.message });
    io.stderr(`${body}\n`);
  } else {
    const status = error instanceof ApiError ? ` (HTTP ${error.status} ${error.code})` : '';
    io.stderr(`config-ledger: ${error.message}${status}\n`);
  }
  return exitCodeOf(error);
}
