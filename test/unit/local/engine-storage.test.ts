import { ClassicLevel } from 'classic-level';
import { afterAll, describe, expect, it } from 'vitest';
import { configureEngineStorage, storageFault } from '#local/engine-storage.ts';

type Write = (...args: unknown[]) => Promise<void>;
const prototype = ClassicLevel.prototype as unknown as Record<'_put' | '_del' | '_batch', Write>;
const originals = { ...prototype };
const calls: { method: string; options: unknown }[] = [];
const diskFull = Object.assign(new Error('IO error: 000003.log: No space left on device'), {
  code: 'LEVEL_IO_ERROR',
});
let failWith: Error | undefined;

// LevelDB's own writes, recorded in place of the binding, before the engine's storage wraps them.
for (const method of ['_put', '_del', '_batch'] as const) {
  prototype[method] = async (...args: unknown[]) => {
    calls.push({ method, options: args.at(-1) });
    if (failWith) throw failWith;
  };
}
configureEngineStorage({ syncWrites: true });
const store = () => Object.create(ClassicLevel.prototype) as typeof prototype;

afterAll(() => {
  Object.assign(prototype, originals);
});

describe('Function: configureEngineStorage', () => {
  it('makes every write of the engine synchronous: answered once on disk', async () => {
    await store()._put('k', 'v', { keyEncoding: 'utf8' });
    await store()._del('k', {});
    await store()._batch([], {});

    expect(calls).toEqual([
      { method: '_put', options: { keyEncoding: 'utf8', sync: true } },
      { method: '_del', options: { sync: true } },
      { method: '_batch', options: { sync: true } },
    ]);
  });

  it('turns a failed write into an error the engine answers, and remembers the fault', async () => {
    failWith = diskFull;
    const failure = await store()
      ._put('k', 'v', {})
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({
      statusCode: 500,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: expect.stringContaining('No space left on device'),
      },
    });
    expect(storageFault()).toEqual({ code: 'LEVEL_IO_ERROR', message: diskFull.message });
  });
});
