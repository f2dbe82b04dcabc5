import type { ConnectRequest, Provider } from '@roster/core';
import { IntacctClient, type IntacctClientOptions } from './client/client.js';
import { clientCredentials, configSchema, readConfig } from './config.js';
import { IntacctConnection } from './connection.js';
import { groupKind } from './kinds/group/index.js';
import { securityLevelKind } from './kinds/security-level/index.js';
import { serviceAccountKind } from './kinds/service-account/index.js';
import { intacctPolicies } from './policies.js';

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<
  Omit<IntacctClientOptions, 'baseUrl' | 'companyId' | 'entityId' | 'credentials' | 'log'>
>;

/**
 * Open a connection to `config.endpoint`: Intacct's API host, or a sandbox's simulator (started by
 * the `./sandbox` entry, or served by `roster sandbox serve`), which it reaches the same way.
 */
export async function connectIntacct(
  req: ConnectRequest,
  tuning: ClientTuning = {},
): Promise<IntacctConnection> {
  const cfg = readConfig(req.name, req.config);
  // Core starts the sandbox and gives its address; `sandbox` here is a caller's bug, not a setting.
  if (cfg.endpoint === 'sandbox')
    throw new Error(
      `provider ${req.name}: endpoint sandbox reaches connect: start the sandbox first (./sandbox)`,
    );
  const client = new IntacctClient({
    baseUrl: cfg.endpoint,
    companyId: cfg.companyId,
    ...(cfg.entityId ? { entityId: cfg.entityId } : {}),
    credentials: clientCredentials(req.name, cfg, req.credentials),
    log: req.log,
    ...tuning,
  });
  return new IntacctConnection(client);
}

/** The Sage Intacct provider: web services users, roles and user groups over the REST API. */
const provider = {
  type: 'intacct',
  displayName: 'Sage Intacct',
  description:
    'Sage Intacct (REST API v1): web services users (ServiceAccount), roles (SecurityLevel) and user groups (Group).',
  configSchema,
  policies: intacctPolicies,
  kinds: {
    ServiceAccount: serviceAccountKind,
    SecurityLevel: securityLevelKind,
    Group: groupKind,
  },
  connect: (req: ConnectRequest) => connectIntacct(req),
} satisfies Provider;

export default provider;
