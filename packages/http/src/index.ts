export { type BackoffSettings, backoffDelay } from './backoff.js';
export { HttpClient } from './http-client.js';
export { HttpNetworkError } from './network-error.js';
export { OutcomeUnknownError } from './outcome-unknown-error.js';
export { HttpRedirectError } from './redirect-error.js';
export { parseRetryAfter, retryAfterMs } from './retry-after.js';
export { RETRY_OPTION_KEYS, type RetryOptions, retryOptionsOf } from './retry-options.js';
export { describeTransport } from './transport.js';
export type { HttpClientOptions, HttpReply, HttpRequest, HttpStats, RetryEvent } from './types.js';
