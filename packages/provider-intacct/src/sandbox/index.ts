import {
  declaredValues,
  type SandboxConsoleRequest,
  type SandboxStartRequest,
  type Secret,
  type StartedSandbox,
} from '@roster/core';
import type { SandboxServeRequest, SandboxServer } from '@roster/sim-kit';
import {
  type FaultSwitch,
  faultsFromEnv,
  type ProviderSandbox,
  type SimulatorFaults,
  servedSandbox,
  serveOptions,
  simulatorCloser,
} from '@roster/sim-kit';
import { CREDENTIAL_KEYS, readConfig } from '../config.js';
import type { SimCredentials } from './auth.js';
import { SandboxOperator } from './console.js';

/** Credentials the simulator checks: the declared ones, or none (accept any client). */
function simulatorCredentials(
  name: string,
  creds: Record<string, Secret | undefined>,
): SimCredentials | undefined {
  return declaredValues(name, creds, CREDENTIAL_KEYS);
}

/** What this package's tests may add to a start request: repeatable faults. */
export interface IntacctStartRequest extends SandboxStartRequest {
  /** The fault switch's source of randomness (seeded in tests), instead of `Math.random`. */
  random?: () => number;
  /** Fault settings to start with, instead of the environment's (`faultsFromEnv`). */
  faults?: SimulatorFaults;
}

/** A started sandbox, with the simulator's fault switch for this package's tests. */
export interface IntacctStartedSandbox extends StartedSandbox {
  consoleToken: string;
  faults: FaultSwitch;
}

/**
 * `endpoint: sandbox`: the simulator in this process on a free loopback port, persisted in
 * `req.dir` (in memory when none is given); the connection then talks to it over HTTP like to
 * Intacct, so the sandbox always exercises the real wire format. Signed in with `credentials.read`,
 * the simulator knows them as the read-only account they are, and refuses writes as Intacct would.
 */
async function start(req: IntacctStartRequest): Promise<IntacctStartedSandbox> {
  const cfg = readConfig(req.name, req.config);
  const creds = simulatorCredentials(req.name, req.credentials);
  // Imported here: the simulator's server loads only when a sandbox starts.
  const { startSimulator } = await import('./server.js');
  const sim = await startSimulator({
    ...(req.dir ? { dir: req.dir } : {}),
    companyId: cfg.companyId,
    ...(creds ? (req.readCredentials ? { readCredentials: creds } : { credentials: creds }) : {}),
    faults: req.faults ?? faultsFromEnv(),
    ...(req.random ? { random: req.random } : {}),
  });
  req.log.debug(
    `intacct: ${req.name}: sandbox simulator at ${sim.url}${req.dir ? ` (${req.dir})` : ' (in memory)'}`,
  );
  return {
    config: { ...req.config, endpoint: sim.url },
    consoleToken: sim.consoleToken,
    faults: sim.faults,
    close: simulatorCloser(req.log, `intacct: ${req.name}`, sim),
  };
}

/**
 * `roster sandbox serve`: the simulator over HTTP, checking the provider's credentials if it declares
 * any; `credentials.read` is accepted as a read-only account whose writes are refused (403).
 */
async function serve(req: SandboxServeRequest): Promise<SandboxServer> {
  const cfg = readConfig(req.name, req.config);
  const creds = simulatorCredentials(req.name, req.credentials);
  const readCreds = req.readCredentials ? simulatorCredentials(req.name, req.readCredentials) : undefined;
  const { startSimulator } = await import('./server.js');
  const sim = await startSimulator({
    ...serveOptions(req),
    companyId: cfg.companyId,
    ...(creds ? { credentials: creds } : {}),
    ...(readCreds ? { readCredentials: readCreds } : {}),
  });
  return servedSandbox(sim);
}

/** The Sage Intacct sandbox: its simulator, served or in-process, and the console that resets passwords. */
const sandbox = {
  start,
  serve,
  console: (req: SandboxConsoleRequest) => new SandboxOperator(String(req.config.endpoint), req.token),
} satisfies ProviderSandbox;

export default sandbox;
