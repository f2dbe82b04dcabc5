import type { ConnectionStats, ProviderConnection } from '@roster/core';
import type { AfasClient } from './client/client.js';
import type { AfasConfig } from './config.js';

/** What the kinds' operations need: the client, and the GetConnector ids and all-users group of the provider spec. */
export interface AfasContext {
  client: AfasClient;
  cfg: AfasConfig;
}

/**
 * A session with one AFAS Profit environment (a real one, or a sandbox simulator at its address):
 * the client and the settings every kind's operations share (`KindDefinition.api`), and the
 * session's API usage. The operations themselves live in the kinds.
 */
export class AfasConnection implements ProviderConnection, AfasContext {
  constructor(
    readonly client: AfasClient,
    readonly cfg: AfasConfig,
  ) {}

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {}
}
