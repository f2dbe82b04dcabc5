/**
 * `@roster/provider-afas/sandbox`: the AFAS Profit simulator, loaded only for Provider documents
 * with `endpoint: sandbox` and for `roster sandbox serve`; a connection to a real environment never
 * imports it.
 */
import type {
  SandboxConsole,
  SandboxConsoleRequest,
  SandboxStartRequest,
  StartedSandbox,
} from '@roster/core';
import type { SandboxServeRequest, SandboxServer } from '@roster/sim-kit';
import {
  consoleHeaders,
  faultsFromEnv,
  type ProviderSandbox,
  servedSandbox,
  serveOptions,
  simulatorCloser,
} from '@roster/sim-kit';
import { AfasClient, type ClientTuning } from '../client/client.js';
import { readConfig, SANDBOX_PLACEHOLDER_TOKEN, simulatorToken } from '../config.js';
import { ConsoleClient, SandboxOperator } from './operator.js';
import { type Simulator, type SimulatorOptions, startSimulator } from './server.js';

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
  return {
    sim,
    config: { ...config, endpoint: sim.url },
    consoleToken: sim.consoleToken,
    close: simulatorCloser(req.log, `afas: ${req.name}`, sim),
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
 * as a person would in Profit's UI, and read back through the console's lists of users and
 * memberships (the GetConnectors' data sets), so the console needs no API credentials
 * (`tuning`: tests).
 */
export function afasConsole(req: SandboxConsoleRequest, tuning: ClientTuning = {}): SandboxConsole {
  const cfg = readConfig(req.name, req.config);
  const origin = new URL(cfg.endpoint).origin;
  const send = tuning.fetch ?? globalThis.fetch;
  const lists = new AfasClient({
    baseUrl: `${origin}/__sandbox`,
    // The console goes by its own secret; the client's AfasToken header is ignored there.
    token: SANDBOX_PLACEHOLDER_TOKEN,
    log: req.log,
    ...tuning,
    fetch: (input, init) =>
      send(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...consoleHeaders(req.token) },
      }),
  });
  const console = ConsoleClient.forApi(cfg.endpoint, tuning.fetch, req.token);
  return new SandboxOperator(console, { client: lists, cfg });
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
