import type { ConnectionStats, ProviderConnection } from '@roster/core';

/**
 * A session with Getint. There is nothing to call: Getint has no management API, so its kind has
 * no `api` (every operation is a runbook step) and the session only reports that it made no calls.
 */
export class GetintConnection implements ProviderConnection {
  stats(): ConnectionStats {
    return { apiCalls: 0, throttled: 0 };
  }

  async close(): Promise<void> {}
}
