import type { CheckedResource, ConnectionStats, ProviderCheckResult, ProviderConnection } from '@roster/core';
import type { IntacctClient } from './client/client.js';
import { validatePermissions } from './kinds/security-level/checks.js';

/**
 * A session with one Intacct company (or its sandbox): what every kind's operations share (the
 * client, its counters and the permission catalogue it caches), passed to them as `connection`.
 */
export class IntacctConnection implements ProviderConnection {
  readonly client: IntacctClient;

  constructor(client: IntacctClient) {
    this.client = client;
  }

  /** Plan-time checks of roles against the company's permission catalogue (`validatePermissions`). */
  validate(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult> {
    return validatePermissions(this.client, req);
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  /** Nothing to release: the client holds no socket between requests. */
  async close(): Promise<void> {}
}
