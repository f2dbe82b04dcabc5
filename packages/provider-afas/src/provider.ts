import { type ConnectRequest, type Provider, UserError } from '@roster/core';
import { AfasClient, type ClientTuning } from './client/client.js';
import { clientToken, configSchema, readConfig } from './config.js';
import { AfasConnection } from './connection.js';
import { checkEffectiveAccess } from './kinds/access-check.js';
import { connectorKind } from './kinds/connector/index.js';
import { groupKind } from './kinds/group/index.js';
import { serviceAccountKind } from './kinds/service-account/index.js';
import { afasPolicies } from './permissions.js';

/**
 * Open a connection to the environment at `config.endpoint` (a sandbox is started first, by the
 * package's `./sandbox` entry, and reached at its loopback address like any other).
 */
export async function connectAfas(req: ConnectRequest, tuning: ClientTuning = {}): Promise<AfasConnection> {
  const cfg = readConfig(req.name, req.config);
  if (cfg.endpoint === 'sandbox')
    throw new UserError(
      `provider ${req.name}: endpoint sandbox needs the AFAS Profit sandbox (@roster/provider-afas/sandbox) started first`,
    );
  const client = new AfasClient({
    baseUrl: cfg.endpoint,
    token: clientToken(req.name, cfg, req.credentials),
    ...(cfg.integrationId ? { integrationId: cfg.integrationId } : {}),
    log: req.log,
    ...tuning,
  });
  return new AfasConnection(client, cfg);
}

/** The AFAS Profit provider: token users over the REST API; user groups and app connectors with manual steps. */
const provider = {
  type: 'afas',
  displayName: 'AFAS Profit',
  description:
    'AFAS Profit (ProfitRestServices): token users (ServiceAccount, KnUser), user groups (Group, created by hand) and app connectors (Connector, UI only).',
  configSchema,
  policies: afasPolicies,
  kinds: {
    ServiceAccount: serviceAccountKind,
    Group: groupKind,
    Connector: connectorKind,
  },
  check: checkEffectiveAccess,
  connect: (req: ConnectRequest) => connectAfas(req),
} satisfies Provider;

export default provider;
