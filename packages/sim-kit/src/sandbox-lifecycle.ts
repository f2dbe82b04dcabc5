import type { Logger } from '@roster/core';
import { faultsFromEnv } from './fault-env.js';
import { logInjectedFaults } from './fault-report.js';
import type { InjectedFaults, SimulatorFaults } from './faults.js';
import type { SandboxServeRequest, SandboxServer } from './provider-sandbox.js';

/** A started simulator, as every provider's `startSimulator` answers. */
export interface RunningSimulator {
  url: string;
  consoleToken?: string;
  faults: { injected(): InjectedFaults };
  close(): Promise<void>;
}

/**
 * What `roster sandbox serve` asks of a simulator, the same for every provider: its directory, the
 * address to listen on, and the faults to inject (the environment's, then the command's).
 */
export function serveOptions(req: SandboxServeRequest): {
  dir: string;
  host: string;
  port: number;
  allowRemote?: boolean;
  faults: SimulatorFaults;
} {
  return {
    dir: req.sandboxDir,
    host: req.host,
    port: req.port,
    ...(req.allowRemote !== undefined ? { allowRemote: req.allowRemote } : {}),
    faults: { ...faultsFromEnv(), ...(req.faults ?? {}) },
  };
}

/** The served sandbox `serveSandbox` answers with. */
export function servedSandbox(sim: Pick<RunningSimulator, 'url' | 'consoleToken' | 'close'>): SandboxServer {
  return {
    url: sim.url,
    ...(sim.consoleToken !== undefined ? { consoleToken: sim.consoleToken } : {}),
    close: () => sim.close(),
  };
}

/**
 * How a connection closes the simulator it started (`endpoint: sandbox`): the faults it injected
 * go to the debug log first (`label` is `<type>: <provider name>`), then it stops.
 */
export function simulatorCloser(log: Logger, label: string, sim: RunningSimulator): () => Promise<void> {
  return async () => {
    logInjectedFaults(log, label, sim.faults.injected());
    await sim.close();
  };
}
