import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    engineEndpoint: string;
  }
}

/** Starts one in-memory dynalite for the whole run; test files create their own tables in it. */
export default async function setup(project: TestProject) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  project.provide('engineEndpoint', `http://127.0.0.1:${port}`);
  return async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
}
