import type { ConnectRequest, Provider } from '@roster/core';
import { checkProvider } from './checks.js';
import { AutotaskClient, type ClientTuning } from './client/client.js';
import { clientCredentials, configSchema, readConfig, ZONE_LOOKUP_URL } from './config.js';
import { AutotaskConnection } from './connection.js';
import { securityLevelKind } from './kinds/security-level/index.js';
import { serviceAccountKind } from './kinds/service-account/index.js';
import { autotaskPolicies } from './policies.js';

/**
 * Open a connection: to the zone `endpoint` names (a served or started sandbox is one, on
 * loopback), or, with `auto`, to the zone the API username's lookup answers. `endpoint: sandbox`
 * never reaches here: the sandbox entry (`./sandbox`) starts the simulator and gives its address.
 */
export async function connectAutotask(
  req: ConnectRequest,
  tuning: ClientTuning = {},
): Promise<AutotaskConnection> {
  const cfg = readConfig(req.name, req.config);
  if (cfg.endpoint === 'sandbox')
    throw new Error(
      `provider ${req.name}: endpoint sandbox is started by the sandbox entry, then connected to`,
    );
  const credentials = clientCredentials(req.name, cfg, req.credentials);
  const client = new AutotaskClient({
    ...(cfg.endpoint === 'auto' ? { zoneLookupUrl: ZONE_LOOKUP_URL } : { restRoot: cfg.endpoint }),
    credentials,
    // `--api-budget` (passed only when given) wins over the Provider document's `apiBudget`.
    apiBudget: req.apiBudget ?? cfg.apiBudget,
    budgetWaitMs: (cfg.apiBudgetWaitSeconds ?? 60) * 1000,
    log: req.log,
    ...tuning,
  });
  return new AutotaskConnection(client, { log: req.log });
}

/** The Autotask PSA provider: API users and their security levels; what the API cannot do is a runbook step. */
const provider = {
  type: 'autotask',
  displayName: 'Autotask PSA',
  description:
    'Autotask PSA (REST API V1.0): API users (ServiceAccount; created in the UI, read and updated by API) and their security levels (SecurityLevel; UI only, attested).',
  configSchema,
  policies: autotaskPolicies,
  kinds: {
    ServiceAccount: serviceAccountKind,
    SecurityLevel: securityLevelKind,
  },
  check: checkProvider,
  connect: (req: ConnectRequest) => connectAutotask(req),
} satisfies Provider;

export default provider;
