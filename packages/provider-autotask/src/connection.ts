import type { ConnectionStats, Logger, ProviderConnection } from '@roster/core';
import type { AutotaskClient } from './client/client.js';
import { ApiUsers } from './kinds/service-account/api-users.js';

/**
 * A session with one Autotask database, as `connect` opens it: what the kinds' operations share,
 * the REST client (its counters and hourly budget) and the API users' reader (which caches how the
 * database marks API users). The operations themselves are the kinds' (`KindDefinition.api`).
 */
export class AutotaskConnection implements ProviderConnection {
  readonly client: AutotaskClient;
  readonly apiUsers: ApiUsers;

  constructor(client: AutotaskClient, opts: { log?: Logger } = {}) {
    this.client = client;
    this.apiUsers = new ApiUsers(client, opts.log);
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {}
}
