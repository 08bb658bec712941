/**
 * Every limit of the service, in one place: the domain, the HTTP contract, the store, the local
 * stack and the tests all read these.
 */
export const limits = {
  nameMaxLength: 256,
  /** Serialized (UTF-8) size of a value; leaves room below DynamoDB's 400 KB item limit. */
  valueMaxBytes: 256 * 1024,
  /**
   * Nesting depth of a value. Values are stored as JSON text, so DynamoDB's 32-level map limit
   * does not apply; this bound keeps parsing off the edge of the call stack.
   */
  valueMaxDepth: 1000,
  /** A request body holds one value plus small fields. */
  requestBodyMaxBytes: 256 * 1024 + 16 * 1024,
  commentMaxLength: 1024,
  actorMaxLength: 512,
  pageSizeDefault: 100,
  pageSizeMax: 1000,
  /**
   * An export or import document: below Lambda's 6 MB response and request payloads, with room
   * for the envelope. Larger configurations are exported and imported by prefix.
   */
  documentMaxBytes: 5 * 1024 * 1024,
  /** Entries in one import. */
  importMaxEntries: 5000,
  /** Longest long-poll of GET /changes: well below API Gateway's 30 s integration timeout. */
  changesWaitMaxSeconds: 20,
  /**
   * How long a read of a point the projector has not reached yet waits for it before answering
   * 503 not_caught_up (it usually takes milliseconds).
   */
  projectionWaitMs: 2000,
  /**
   * Commits past the projector's progress that a write or an exact read folds in by itself.
   * Beyond that the projector is far behind (an outage): such requests get 503 not_caught_up
   * rather than reading an ever longer tail.
   */
  tailMaxCommits: 1000,
  /** Events in one commit: an import is split into commits of at most this many. */
  commitMaxEvents: 1000,
  /** Operations in one changeset: etcd's and Consul's transactions take about as many. */
  changesetMaxOperations: 100,
  /**
   * A changeset's request body. It must fit one commit (DynamoDB's 400 KB item) anyway; a body
   * much larger than that is refused before it is parsed.
   */
  changesetBodyMaxBytes: 1024 * 1024,
  /** Reads one request makes at once (a page of names, an import's plan). */
  parallelReads: 16,
  /** A JSON Schema's serialized size: far above hand-written schemas, small enough to compile fast. */
  schemaMaxBytes: 64 * 1024,
  /** Nesting of a schema document; deeper schemas are refused before they reach the compiler. */
  schemaMaxDepth: 64,
  /**
   * Compiling a schema that takes longer than this is refused when it is attached: a last guard
   * behind the size and depth limits, inside a write's 8 s budget. It is wall-clock time, so it
   * is set far above real compile times (under a load of 12 on 2 cores a 20 KB schema of 600
   * properties compiled in 0.7 s, and a 300-property one took 6 s at a load of 18; ordinary
   * schemas take milliseconds), so that a busy machine does not refuse an ordinary schema.
   */
  schemaCompileMaxMs: 5000,
  /** Violations reported for one value (and entries for one refusal): enough to fix, never a flood. */
  violationsMax: 20,
} as const;
