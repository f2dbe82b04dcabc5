import { describe, expect, it } from 'vitest';
import { retryOptionsOf } from './retry-options.js';

describe('retryOptionsOf', () => {
  it('keeps the retry settings a client was given, and nothing else', () => {
    const sleep = async () => {};
    const options = { maxAttempts: 3, baseDelayMs: 100, timeoutMs: 5, sleep, pageSize: 10, token: 't' };
    expect(retryOptionsOf(options)).toEqual({ maxAttempts: 3, baseDelayMs: 100, timeoutMs: 5, sleep });
  });

  it('leaves out settings that are unset, so the HttpClient defaults apply', () => {
    expect(retryOptionsOf({ maxAttempts: undefined })).toEqual({});
  });
});
