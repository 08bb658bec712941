/**
 * Stands in for `@smithy/core/event-streams` in the functions' bundles (an esbuild alias, see
 * `functionBundling`). The SDK's protocols import it on first need, for an operation that
 * streams events, and DynamoDB has none. Bundled, that one dynamic import made esbuild wrap the
 * module and every module of the SDK it shares in lazy initializers: without it the DynamoDB
 * clients alone are 188 kB instead of 207 and import in about 0.8× the CPU time (figure 9).
 */
export class EventStreamSerde {
  constructor() {
    refuse();
  }
}

export function eventStreamSerdeProvider(): never {
  return refuse();
}

function refuse(): never {
  throw new Error(
    "An AWS SDK operation needed event streams, which config-ledger's functions leave out: DynamoDB has none.",
  );
}
