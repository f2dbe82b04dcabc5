/**
 * `@roster/provider-proliance/sandbox`: the Proliance sandbox, loaded only for Provider documents
 * with `endpoint: sandbox` and by `roster sandbox serve`. Simulated registers behind an admin
 * console that stands in for Proliance's UI; they write the registers' CSV export, which the
 * connection reads exactly as it reads a real one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SandboxStartRequest, StartedSandbox } from '@roster/core';
import type { SandboxServeRequest } from '@roster/sim-kit';
import {
  faultsFromEnv,
  type ProviderSandbox,
  type SimulatorFaults,
  servedSandbox,
  serveOptions,
} from '@roster/sim-kit';
import { exportSourceFor } from '../client/source.js';
import { readConfig } from '../config.js';
import { ConsoleClient, type ConsoleClientOptions, SandboxOperator } from './operator.js';
import { type Sandbox, startSandbox } from './server.js';
import { RegisterStore } from './store.js';

/**
 * Start the registers (in `req.dir`, or a temporary directory removed on close) and their
 * console, and answer the configuration a connection reads their export with: the console's
 * address as `endpoint`, and the export directory and the lock it is written under as `export`.
 * `opts` is for this package's tests (a fault switch to drive, a seeded random source).
 */
export async function startRegisters(
  req: SandboxStartRequest,
  opts: { faults?: SimulatorFaults; random?: () => number } = {},
): Promise<StartedSandbox & { sim: Sandbox }> {
  readConfig(req.name, req.config);
  const temporary = req.dir ? undefined : await mkdtemp(path.join(tmpdir(), 'roster-proliance-'));
  const dir = req.dir ?? temporary!;
  const store = await RegisterStore.open({ dir });
  const sim = await startSandbox({
    dir,
    store,
    faults: opts.faults ?? faultsFromEnv(),
    ...(opts.random ? { random: opts.random } : {}),
  });
  req.log.debug(
    `proliance: ${req.name}: sandbox in ${dir}${temporary ? ' (temporary)' : ''}, console at ${sim.url}/__sandbox/`,
  );
  return {
    config: {
      type: req.config.type,
      endpoint: sim.url,
      export: { dir: store.exportDir, lock: store.lockPath },
    },
    consoleToken: sim.consoleToken,
    sim,
    close: async () => {
      await sim.close();
      await store.close();
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}

/**
 * The sandbox operator on a running sandbox: manual steps through its console at
 * `config.endpoint`, each read back from the export it writes. `tuning` is for tests.
 */
export function sandboxOperator(
  name: string,
  config: Record<string, unknown>,
  token: string | undefined,
  tuning: Omit<ConsoleClientOptions, 'consoleToken'> = {},
): SandboxOperator {
  const cfg = readConfig(name, config);
  if (cfg.sandbox) throw new Error(`provider ${name}: the sandbox operator needs a started sandbox`);
  const client = new ConsoleClient(String(config.endpoint), {
    ...(token !== undefined ? { consoleToken: token } : {}),
    ...tuning,
  });
  return new SandboxOperator(async () => client, exportSourceFor(cfg));
}

/** `roster sandbox serve`: the registers' console over HTTP, on the provider's sandbox directory. */
async function serve(req: SandboxServeRequest) {
  readConfig(req.name, req.config);
  return servedSandbox(await startSandbox(serveOptions(req)));
}

const sandbox = {
  async start(req) {
    const { sim: _sim, ...started } = await startRegisters(req);
    return started;
  },
  serve,
  console: (req) => sandboxOperator(req.name, req.config, req.token),
} satisfies ProviderSandbox;

export default sandbox;
