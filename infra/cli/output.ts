import { stringifyExact } from './json.ts';
import { noProgress, type Progress } from './progress.ts';
import type { Entry } from './responses.ts';

/** Where the CLI talks to: the process's streams, or a test's buffers. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  /** Shows progress of long work; absent where no person watches (see progress.ts). */
  readonly progress?: (text: string) => Promise<Progress>;
}

/** Results on stdout, notes (pagination, progress) on stderr. */
export class Output {
  constructor(
    private readonly io: Io,
    /** --json: print the API's response text unchanged. */
    readonly json: boolean,
  ) {}

  /** Response text as received, so values keep their exact numbers. */
  raw(text: string): void {
    this.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  line(text = ''): void {
    this.io.stdout(`${text}\n`);
  }

  note(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  /** Aligned columns under upper-case headers; the last column is not padded. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    const cells = [headers.map((header) => header.toUpperCase()), ...rows];
    const widths = headers.map((_, column) =>
      Math.max(...cells.map((row) => (row[column] ?? '').length)),
    );
    for (const row of cells) {
      const padded = row.map((cell, column) =>
        column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      );
      this.line(padded.join('  ').trimEnd());
    }
  }

  /** An entry: a header line, then its value as indented JSON. */
  entry(entry: Entry): void {
    this.line(`${entry.name}  version ${entry.version}  ${describeUpdate(entry)}`);
    this.line(stringifyExact(entry.value, 2));
  }

  /** An entry's value alone, as one line of JSON with its numbers exact: for `$(…)` and pipes. */
  value(entry: Entry): void {
    this.line(stringifyExact(entry.value));
  }

  /**
   * Runs `work` under a progress line: `text`, and once a second has passed, the time spent.
   * `work` may change the text (say how far it got); the line is gone when it ends, either way.
   */
  async withProgress<T>(text: string, work: (say: (text: string) => void) => Promise<T>) {
    const progress = this.io.progress ? await this.io.progress(text) : noProgress;
    const startedMs = Date.now();
    let current = text;
    const render = () => {
      const seconds = Math.floor((Date.now() - startedMs) / 1000);
      progress.update(seconds >= 1 ? `${current} (${seconds} s)` : current);
    };
    const timer = setInterval(render, 1000);
    try {
      return await work((next) => {
        current = next;
        render();
      });
    } finally {
      clearInterval(timer);
      progress.stop();
    }
  }

  /** Tells how to get the next page, when there is one. */
  nextPage(nextToken: string | undefined): void {
    if (nextToken !== undefined) this.note(`More results: add --next-token ${nextToken}`);
  }
}

export function describeUpdate(entry: Pick<Entry, 'updatedAt' | 'updatedBy'>): string {
  return `updated ${entry.updatedAt} by ${printable(entry.updatedBy)}`;
}

/** Text from the API made safe for a terminal: control characters shown, not obeyed. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is being replaced.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) =>
    char === '\n' ? '⏎' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `3`, or `-` when there is no version (absent before, deleted after). */
export function versionCell(version: number | null | undefined): string {
  return version === undefined || version === null ? '-' : String(version);
}
