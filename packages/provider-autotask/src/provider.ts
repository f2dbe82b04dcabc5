import {
  type ConnectRequest,
  isLoopback,
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
import { checkProvider } from './checks.js';
import { AutotaskClient, type AutotaskClientOptions } from './client.js';
import {
  clientCredentials,
  configSchema,
  readConfig,
  simulatorCredentials,
  ZONE_LOOKUP_URL,
} from './config.js';
import { AutotaskConnection, AutotaskSandboxConnection } from './connection.js';
import { securityLevelKind } from './kinds/security-level.js';
import { serviceAccountKind } from './kinds/service-account.js';
import { autotaskPolicies } from './permissions.js';
import { thresholdFromEnv } from './sandbox.js';
import { SandboxConsole } from './sandbox-console.js';
import type { Simulator } from './simulator/server.js';

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<
  Omit<AutotaskClientOptions, 'restRoot' | 'zoneLookupUrl' | 'credentials' | 'log' | 'apiBudget'>
>;

/**
 * Open a connection. With `endpoint: sandbox` the simulator starts in this process on a free
 * loopback port, persisted in `req.sandboxDir` (in memory when none is given), and the client
 * talks to it over HTTP, zone lookup included, so the sandbox always exercises the real wire
 * format. Sandbox connections (embedded or served on loopback) can also `operate`.
 */
export async function connectAutotask(
  req: ConnectRequest,
  tuning: ClientTuning = {},
): Promise<AutotaskConnection> {
  const cfg = readConfig(req.name, req.config);
  const credentials = clientCredentials(req.name, cfg, req.credentials);
  let sim: Simulator | undefined;
  let zone: Pick<AutotaskClientOptions, 'restRoot' | 'zoneLookupUrl'>;
  if (cfg.endpoint === 'sandbox') {
    const simCreds = simulatorCredentials(req.name, req.credentials);
    const threshold = thresholdFromEnv();
    // Imported here: only the commands that serve a sandbox need the simulator.
    const { startSimulator } = await import('./simulator/server.js');
    sim = await startSimulator({
      ...(req.sandboxDir ? { dir: req.sandboxDir } : {}),
      ...(simCreds ? { credentials: simCreds } : {}),
      ...(threshold !== undefined ? { hourlyThreshold: threshold } : {}),
      faults: faultsFromEnv(),
    });
    zone = { zoneLookupUrl: `${sim.url}/ATServicesRest` };
    req.log.debug(
      `autotask: ${req.name}: sandbox simulator at ${sim.url}${req.sandboxDir ? ` (${req.sandboxDir})` : ' (in memory)'}`,
    );
  } else if (cfg.endpoint === 'auto') {
    zone = { zoneLookupUrl: ZONE_LOOKUP_URL };
  } else {
    zone = { restRoot: cfg.endpoint };
  }
  const client = new AutotaskClient({
    ...zone,
    credentials,
    // `--api-budget` (passed only when given) wins over the Provider document's `apiBudget`.
    apiBudget: req.apiBudget ?? cfg.apiBudget,
    budgetWaitMs: (cfg.apiBudgetWaitSeconds ?? 60) * 1000,
    log: req.log,
    ...tuning,
  });
  const onClose = sim ? simulatorCloser(req.log, `autotask: ${req.name}`, sim) : undefined;
  const opts = { log: req.log, ...(onClose ? { onClose } : {}) };
  if (sim || isLoopback(cfg.endpoint)) {
    return new AutotaskSandboxConnection(
      client,
      new SandboxConsole(sim?.url ?? cfg.endpoint, undefined, sim?.consoleToken ?? consoleTokenFromEnv()),
      opts,
    );
  }
  return new AutotaskConnection(client, opts);
}

/** `roster sandbox serve`: the simulator over HTTP, checking the provider's credentials if it declares any. */
async function serveSandbox(req: SandboxServeRequest): Promise<SandboxServer> {
  readConfig(req.name, req.config);
  const simCreds = simulatorCredentials(req.name, req.credentials);
  const threshold = thresholdFromEnv();
  const { startSimulator } = await import('./simulator/server.js');
  const sim = await startSimulator({
    ...serveOptions(req),
    ...(simCreds ? { credentials: simCreds } : {}),
    ...(threshold !== undefined ? { hourlyThreshold: threshold } : {}),
  });
  return servedSandbox(sim);
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
  serveSandbox,
} satisfies Provider;

export default provider;
