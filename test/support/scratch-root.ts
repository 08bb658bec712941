import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchRoot: string;
  }
}

/**
 * Global setup: one temporary folder for everything the run writes to disk (local stacks' data,
 * dead-letter files, CLI documents), removed when the run ends, failed tests included.
 */
export default async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), 'config-ledger-tests-'));
  project.provide('scratchRoot', root);
  return () => rm(root, { recursive: true, force: true });
}
