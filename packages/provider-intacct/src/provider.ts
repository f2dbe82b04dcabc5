import type { ConnectRequest, Provider, SandboxServeRequest, SandboxServer } from '@roster/core';
import { faultsFromEnv, servedSandbox, serveOptions, simulatorCloser } from '@roster/sim-kit';
import { IntacctClient, type IntacctClientOptions } from './client.js';
import { clientCredentials, configSchema, readConfig, simulatorCredentials } from './config.js';
import { IntacctConnection } from './connection.js';
import { groupKind } from './kinds/group.js';
import { securityLevelKind } from './kinds/security-level.js';
import { serviceAccountKind } from './kinds/service-account.js';
import { intacctPolicies } from './permissions.js';
import type { Simulator } from './simulator/server.js';
import { intacctFinanceSod } from './sod-finance.js';

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<
  Omit<IntacctClientOptions, 'baseUrl' | 'companyId' | 'entityId' | 'credentials' | 'log'>
>;

/**
 * Open a connection. With `endpoint: sandbox` the simulator starts in this process on a free
 * loopback port, persisted in `req.sandboxDir` (in memory when none is given), and the client
 * talks to it over HTTP, so the sandbox always exercises the real wire format.
 */
export async function connectIntacct(
  req: ConnectRequest,
  tuning: ClientTuning = {},
): Promise<IntacctConnection> {
  const cfg = readConfig(req.name, req.config);
  const credentials = clientCredentials(req.name, cfg, req.credentials);
  let sim: Simulator | undefined;
  let baseUrl = cfg.endpoint;
  if (cfg.endpoint === 'sandbox') {
    const simCreds = simulatorCredentials(req.name, req.credentials);
    // Imported here: only the commands that serve a sandbox need the simulator.
    const { startSimulator } = await import('./simulator/server.js');
    sim = await startSimulator({
      ...(req.sandboxDir ? { dir: req.sandboxDir } : {}),
      companyId: cfg.companyId,
      // Signed in with `credentials.read`: the sandbox knows them as the read-only account it is,
      // so a write through this connection is refused as Intacct would refuse it.
      ...(simCreds ? (req.readCredentials ? { readCredentials: simCreds } : { credentials: simCreds }) : {}),
      faults: faultsFromEnv(),
    });
    baseUrl = sim.url;
    req.log.debug(
      `intacct: ${req.name}: sandbox simulator at ${sim.url}${req.sandboxDir ? ` (${req.sandboxDir})` : ' (in memory)'}`,
    );
  }
  const client = new IntacctClient({
    baseUrl,
    companyId: cfg.companyId,
    ...(cfg.entityId ? { entityId: cfg.entityId } : {}),
    credentials,
    log: req.log,
    ...tuning,
  });
  const close = sim ? simulatorCloser(req.log, `intacct: ${req.name}`, sim) : undefined;
  return new IntacctConnection(client, close, sim?.url, sim?.consoleToken);
}

/**
 * `roster sandbox serve`: the simulator over HTTP, checking the provider's credentials if it declares
 * any; `credentials.read` is accepted as a read-only account whose writes are refused (403).
 */
async function serveSandbox(req: SandboxServeRequest): Promise<SandboxServer> {
  const cfg = readConfig(req.name, req.config);
  const simCreds = simulatorCredentials(req.name, req.credentials);
  const simReadCreds = req.readCredentials ? simulatorCredentials(req.name, req.readCredentials) : undefined;
  const { startSimulator } = await import('./simulator/server.js');
  const sim = await startSimulator({
    ...serveOptions(req),
    companyId: cfg.companyId,
    ...(simCreds ? { credentials: simCreds } : {}),
    ...(simReadCreds ? { readCredentials: simReadCreds } : {}),
  });
  return servedSandbox(sim);
}

/** The Sage Intacct provider: web services users, roles and user groups over the REST API. */
const provider = {
  type: 'intacct',
  displayName: 'Sage Intacct',
  description:
    'Sage Intacct (REST API v1): web services users (ServiceAccount), roles (SecurityLevel) and user groups (Group).',
  configSchema,
  policies: intacctPolicies,
  sodRules: [intacctFinanceSod],
  kinds: {
    ServiceAccount: serviceAccountKind,
    SecurityLevel: securityLevelKind,
    Group: groupKind,
  },
  connect: (req: ConnectRequest) => connectIntacct(req),
  serveSandbox,
} satisfies Provider;

export default provider;
