import {
  type ConnectRequest,
  isSandboxEndpoint,
  type Provider,
  type SandboxServeRequest,
  type SandboxServer,
} from '@roster/core';
import {
  consoleTokenFromEnv,
  faultsFromEnv,
  servedSandbox,
  serveOptions,
  simulatorCloser,
} from '@roster/sim-kit';
import { AfasClient, type AfasClientOptions } from './client.js';
import { clientToken, configSchema, readConfig, simulatorToken } from './config.js';
import { AfasConnection } from './connection.js';
import { checkEffectiveAccess } from './kinds/access-check.js';
import { connectorKind } from './kinds/connector.js';
import { groupKind } from './kinds/group.js';
import { serviceAccountKind } from './kinds/service-account.js';
import { SandboxConsole, SandboxOperator } from './operator.js';
import { afasPolicies } from './permissions.js';
import type { Simulator } from './simulator/server.js';

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<Omit<AfasClientOptions, 'baseUrl' | 'token' | 'integrationId' | 'log'>>;

/**
 * Open a connection. With `endpoint: sandbox` the simulator starts in this process on a free
 * loopback port, persisted in `req.sandboxDir` (in memory when none is given), and the client talks
 * to it over HTTP, so the sandbox always exercises the real wire format. A sandbox connection
 * (embedded or served on loopback) can also do manual steps (`operate`) through the console.
 */
export async function connectAfas(req: ConnectRequest, tuning: ClientTuning = {}): Promise<AfasConnection> {
  const cfg = readConfig(req.name, req.config);
  const token = clientToken(req.name, cfg, req.credentials);
  let sim: Simulator | undefined;
  let baseUrl = cfg.endpoint;
  if (cfg.endpoint === 'sandbox') {
    const simToken = simulatorToken(req.name, req.credentials);
    // Imported here: only the commands that serve a sandbox need the simulator.
    const { startSimulator } = await import('./simulator/server.js');
    sim = await startSimulator({
      ...(req.sandboxDir ? { dir: req.sandboxDir } : {}),
      ...(cfg.environmentId ? { environment: cfg.environmentId } : {}),
      ...(simToken ? { token: simToken } : {}),
      getConnectors: cfg.getConnectors,
      allUsersGroup: cfg.allUsersGroup,
      faults: faultsFromEnv(),
    });
    baseUrl = sim.apiUrl;
    req.log.debug(
      `afas: ${req.name}: sandbox simulator at ${sim.url}${req.sandboxDir ? ` (${req.sandboxDir})` : ' (in memory)'}`,
    );
  }
  const client = new AfasClient({
    baseUrl,
    token,
    ...(cfg.integrationId ? { integrationId: cfg.integrationId } : {}),
    log: req.log,
    ...tuning,
  });
  const ctx = { client, cfg };
  const operator = isSandboxEndpoint(cfg.endpoint)
    ? new SandboxOperator(
        SandboxConsole.forApi(baseUrl, tuning.fetch, sim?.consoleToken ?? consoleTokenFromEnv()),
        ctx,
      )
    : undefined;
  return new AfasConnection(client, cfg, {
    ...(operator ? { operator } : {}),
    ...(sim ? { onClose: simulatorCloser(req.log, `afas: ${req.name}`, sim) } : {}),
  });
}

/** `roster sandbox serve`: the simulator over HTTP, accepting only the provider's token if it declares one. */
async function serveSandbox(req: SandboxServeRequest): Promise<SandboxServer> {
  const cfg = readConfig(req.name, req.config);
  const simToken = simulatorToken(req.name, req.credentials);
  const { startSimulator } = await import('./simulator/server.js');
  const sim = await startSimulator({
    ...serveOptions(req),
    ...(cfg.environmentId ? { environment: cfg.environmentId } : {}),
    ...(simToken ? { token: simToken } : {}),
    getConnectors: cfg.getConnectors,
    allUsersGroup: cfg.allUsersGroup,
  });
  return servedSandbox(sim);
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
  serveSandbox,
} satisfies Provider;

export default provider;
