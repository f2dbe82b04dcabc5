import type { SandboxConsoleRequest, SandboxStartRequest, StartedSandbox } from '@roster/core';
import type { SandboxServeRequest, SandboxServer } from '@roster/sim-kit';
import {
  type FaultSwitch,
  faultsFromEnv,
  type ProviderSandbox,
  servedSandbox,
  serveOptions,
  simulatorCloser,
} from '@roster/sim-kit';
import { AutotaskClient, type ClientTuning } from '../client/client.js';
import { clientCredentials, readConfig, simulatorCredentials } from '../config.js';
import { ApiUsers } from '../kinds/service-account/api-users.js';
import { ConsoleClient } from './console-client.js';
import { SandboxOperator } from './operator.js';
import { type SimulatorOptions, startSimulator } from './server.js';
import { thresholdFromEnv } from './threshold-env.js';

/** What `start` takes: core's request, and for this package's tests the simulator's randomness and faults. */
export interface AutotaskSandboxStart extends SandboxStartRequest {
  simulator?: Pick<SimulatorOptions, 'random' | 'faults'>;
}

/** A started Autotask sandbox: core's, with the simulator's fault switch (tests turn faults on and off). */
export interface AutotaskStartedSandbox extends StartedSandbox {
  faults: FaultSwitch;
}

/**
 * `endpoint: sandbox`: the simulator in this process on a free loopback port, persisted in
 * `req.dir` (in memory when none is given), checking the credentials the connection signs in with
 * (any, when the document declares none). The connection then reaches it as a served sandbox, over
 * HTTP, so the sandbox always exercises the real wire format.
 */
async function start(req: AutotaskSandboxStart): Promise<AutotaskStartedSandbox> {
  readConfig(req.name, req.config);
  const simCreds = simulatorCredentials(req.name, req.credentials);
  const threshold = thresholdFromEnv();
  const sim = await startSimulator({
    ...(req.dir ? { dir: req.dir } : {}),
    ...(simCreds ? { credentials: simCreds } : {}),
    ...(threshold !== undefined ? { hourlyThreshold: threshold } : {}),
    ...req.simulator,
    faults: { ...faultsFromEnv(), ...req.simulator?.faults },
  });
  req.log.debug(
    `autotask: ${req.name}: sandbox simulator at ${sim.url}${req.dir ? ` (${req.dir})` : ' (in memory)'}`,
  );
  return {
    config: { ...req.config, endpoint: sim.url },
    consoleToken: sim.consoleToken,
    close: simulatorCloser(req.log, `autotask: ${req.name}`, sim),
    faults: sim.faults,
  };
}

/** `roster sandbox serve`: the simulator over HTTP, checking the provider's credentials if it declares any. */
async function serve(req: SandboxServeRequest): Promise<SandboxServer> {
  readConfig(req.name, req.config);
  const simCreds = simulatorCredentials(req.name, req.credentials);
  const threshold = thresholdFromEnv();
  const sim = await startSimulator({
    ...serveOptions(req),
    ...(simCreds ? { credentials: simCreds } : {}),
    ...(threshold !== undefined ? { hourlyThreshold: threshold } : {}),
  });
  return servedSandbox(sim);
}

/** What `console` takes: core's request, and for this package's tests the read-back client's tuning. */
export interface AutotaskConsoleRequest extends SandboxConsoleRequest {
  tuning?: ClientTuning;
}

/**
 * The running simulator's console at `req.config.endpoint`: each manual step done as in the
 * Autotask UI, the API user it made or changed then read back through the REST API, signed in with
 * the run's credentials (`req.credentials`, as the connection signs in, so the read-back meets the
 * same faults); without them, as a sandbox that declares none.
 */
function console(req: AutotaskConsoleRequest): SandboxOperator {
  const cfg = readConfig(req.name, req.config);
  const client = new AutotaskClient({
    restRoot: cfg.endpoint,
    credentials: clientCredentials(req.name, cfg, req.credentials ?? {}),
    apiBudget: cfg.apiBudget,
    log: req.log,
    ...req.tuning,
  });
  return new SandboxOperator(
    new ConsoleClient(cfg.endpoint, globalThis.fetch, req.token),
    new ApiUsers(client, req.log),
  );
}

/** The Autotask sandbox (`@roster/provider-autotask/sandbox`): the simulated database and its console. */
const sandbox = { start, serve, console } satisfies ProviderSandbox;

export default sandbox;
