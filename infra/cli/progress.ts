/**
 * A line on stderr that tells what long work (an import, an export, list --all) is doing, and
 * replaces itself as it goes. Only on a terminal: in a pipe, a file or CI, stderr keeps only
 * the notes and errors a script may read.
 */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

export const noProgress: Progress = { update() {}, stop() {} };

/**
 * True when `stream` is a terminal a person watches: not a pipe or a file, not TERM=dumb, not
 * CI (whose logs keep every frame of a spinner).
 */
export function showsProgress(
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !('CI' in env);
}

/**
 * A spinner from yocto-spinner, loaded on first use (a separate chunk of the build, so a call
 * that shows no progress never loads it). It clears its line before anything else is written
 * to stdout or stderr, and its colour follows the terminal's (none with NO_COLOR).
 */
export async function terminalProgress(
  stream: NodeJS.WriteStream,
  text: string,
): Promise<Progress> {
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream }).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    stop: () => {
      spinner.stop();
    },
  };
}
