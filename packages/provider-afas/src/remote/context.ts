import type { AfasClient } from '../client.js';
import type { AfasConfig } from '../config.js';

/** What the remote operations need: the client, and the GetConnector ids and all-users group of the provider spec. */
export interface AfasContext {
  client: AfasClient;
  cfg: AfasConfig;
}
