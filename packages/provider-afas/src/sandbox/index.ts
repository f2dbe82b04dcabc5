/**
 * `@roster/provider-afas/sandbox`: the AFAS Profit simulator, loaded only for Provider documents
 * with `endpoint: sandbox` and for `roster sandbox serve`; a connection to a real environment never
 * imports it.
 */
import type {
  SandboxConsole,
  SandboxConsoleRequest,
  SandboxServeRequest,
  SandboxServer,
  SandboxStartRequest,
  Secret,
  StartedSandbox,
} from '@roster/core';
import {
  faultsFromEnv,
  type ProviderSandbox,
  servedSandbox,
  serveOptions,
  simulatorCloser,
} from '@roster/sim-kit';
import { AfasClient, type ClientTuning } from '../client/client.js';
import { clientToken, readConfig, simulatorToken } from '../config.js';
import { SandboxConsoleClient, SandboxOperator } from './operator.js';
import { type Simulator, type SimulatorOptions, startSimulator } from './server.js';

/**
 * The token each simulator this process started reads back with, by its address: the console's
 * operator reads the result of a manual step through the API, as a person checks the screen, and
 * a console request carries no credentials.
 */
const readTokens = new Map<string, Secret | string>();

/**
 * `endpoint: sandbox`: the simulator on a free loopback port, persisted in `req.dir` (in memory
 * when none is given), accepting the connection's token as roster's own (any token when none is
 * declared). The connection then reaches it over HTTP, so the sandbox exercises the real wire format.
 */
export async function startAfasSandbox(
  req: SandboxStartRequest,
  extra: Pick<SimulatorOptions, 'faults' | 'random'> = {},
): Promise<StartedSandbox & { sim: Simulator }> {
  const cfg = readConfig(req.name, req.config);
  const simToken = simulatorToken(req.name, req.credentials);
  const sim = await startSimulator({
    ...(req.dir ? { dir: req.dir } : {}),
    ...(cfg.environmentId ? { environment: cfg.environmentId } : {}),
    ...(simToken ? { token: simToken } : {}),
    getConnectors: cfg.getConnectors,
    allUsersGroup: cfg.allUsersGroup,
    ...extra,
    faults: { ...faultsFromEnv(), ...extra.faults },
  });
  req.log.debug(
    `afas: ${req.name}: sandbox simulator at ${sim.url}${req.dir ? ` (${req.dir})` : ' (in memory)'}`,
  );
  // The environment number named the simulator's environment; its address is now the endpoint.
  const { environmentId: _id, environmentType: _type, ...config } = req.config;
  const started = { ...config, endpoint: sim.url };
  readTokens.set(sim.url, clientToken(req.name, readConfig(req.name, started), req.credentials));
  const closeSim = simulatorCloser(req.log, `afas: ${req.name}`, sim);
  return {
    sim,
    config: started,
    consoleToken: sim.consoleToken,
    close: async () => {
      readTokens.delete(sim.url);
      await closeSim();
    },
  };
}

/** `roster sandbox serve`: the simulator over HTTP, accepting only the provider's token if it declares one. */
async function serve(req: SandboxServeRequest): Promise<SandboxServer> {
  const cfg = readConfig(req.name, req.config);
  const simToken = simulatorToken(req.name, req.credentials);
  const sim = await startSimulator({
    ...serveOptions(req),
    ...(cfg.environmentId ? { environment: cfg.environmentId } : {}),
    ...(simToken ? { token: simToken } : {}),
    getConnectors: cfg.getConnectors,
    allUsersGroup: cfg.allUsersGroup,
  });
  return servedSandbox(sim);
}

/**
 * The manual steps of a running simulator (`apply --sandbox-operator`): done through its console
 * as a person would in Profit's UI, and read back through the API (`tuning`: tests).
 */
export function afasConsole(req: SandboxConsoleRequest, tuning: ClientTuning = {}): SandboxConsole {
  const cfg = readConfig(req.name, req.config);
  const token = readTokens.get(String(req.config.endpoint)) ?? clientToken(req.name, cfg, {});
  const client = new AfasClient({ baseUrl: cfg.endpoint, token, log: req.log, ...tuning });
  const console = SandboxConsoleClient.forApi(cfg.endpoint, tuning.fetch, req.token);
  return new SandboxOperator(console, { client, cfg });
}

/** The AFAS Profit sandbox. */
const sandbox = {
  start: async (req) => {
    const { sim: _sim, ...started } = await startAfasSandbox(req);
    return started;
  },
  serve,
  console: (req) => afasConsole(req),
} satisfies ProviderSandbox;

export default sandbox;
