import type { HttpClientOptions } from './types.js';

/** The retry and timeout settings every provider's client takes, named as `HttpClient` names them. */
export const RETRY_OPTION_KEYS = [
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'timeoutMs',
  'sleep',
  'random',
  'fetch',
] as const;

/**
 * How a provider's client retries and times out: its options extend this (each client keeps its
 * own defaults), and it hands them to its `HttpClient` unchanged with `retryOptionsOf`.
 */
export type RetryOptions = Pick<HttpClientOptions, (typeof RETRY_OPTION_KEYS)[number]>;

/** The retry settings among a client's options, for its `HttpClient`; unset ones are left out. */
export function retryOptionsOf(options: RetryOptions): RetryOptions {
  const out: Record<string, unknown> = {};
  for (const key of RETRY_OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as RetryOptions;
}
