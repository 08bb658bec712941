/** config-ledger's client library: `import { … } from 'config-ledger/client'`. See docs/client.md. */
export { bearerAuth, noAuth, sigv4Auth } from './auth.ts';
export {
  ChangeFollower,
  type FeedPage,
  type FeedPageReader,
  type FeedPosition,
  type FollowerOptions,
  followChanges,
} from './change-follower.ts';
export { type ChangeSource, longPollFeed } from './change-source.ts';
export * from './config-client.ts';
export * from './config-reader.ts';
export * from './errors.ts';
export {
  type ApiRequest,
  type ApiResponse,
  type Auth,
  HttpClient,
  type HttpClientOptions,
  pathOf,
} from './http.ts';
export {
  type PushAuthorizer,
  PushUnavailableError,
  pushBearerAuth,
  pushNoAuth,
  pushSigV4Auth,
  type SocketFactory,
} from './push-connection.ts';
export { channelOfName, channelOfPrefix, type PushedChange } from './push-protocol.ts';
export { PushChangeSource, type PushOptions } from './push-source.ts';
export * from './responses.ts';
export {
  type BackoffOptions,
  isTransient,
  noRetries,
  type RetryPolicy,
  transientFailures,
} from './retry.ts';
