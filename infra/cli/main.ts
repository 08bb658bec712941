import { text } from 'node:stream/consumers';
import { showsProgress, terminalProgress } from './progress.ts';
import { runCli } from './run.ts';

// `config-ledger ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (output) => process.stdout.write(output),
  stderr: (output) => process.stderr.write(output),
  readStdin: () => text(process.stdin),
  env: process.env,
  ...(showsProgress(process.stderr, process.env)
    ? { progress: (label: string) => terminalProgress(process.stderr, label) }
    : {}),
});
