import { FaultSwitch, type SimulatorFaults } from './faults.js';
import type { HttpServerOptions } from './http-server.js';

/**
 * What every simulator takes beyond its system's own settings: where it persists, where it
 * listens, its console secret, its faults. A provider's `SimulatorOptions` extends it.
 */
export interface SimulatorBaseOptions {
  /** Directory to persist in (the file names are the simulator's); undefined keeps it in memory. */
  dir?: string;
  host?: string;
  /** Listen beyond loopback (`roster sandbox serve --allow-remote`). */
  allowRemote?: boolean;
  /** The admin console's secret; default: a new random one (see `consoleToken` of the result). */
  consoleToken?: string;
  /** 0 (default): any free port. */
  port?: number;
  faults?: SimulatorFaults;
  /** Random source for fault decisions (tests make it deterministic). */
  random?: () => number;
  /** Journal size that triggers a snapshot rewrite (see the simulator's store). */
  compactBytes?: number;
}

/** What every started simulator answers with; a provider's `Simulator` extends it. */
export interface SimulatorBase {
  /** Where it listens (a provider says which paths are its API and its console). */
  url: string;
  /** The admin console's per-run secret, sent as `x-roster-sandbox-token`. */
  consoleToken: string;
  faults: FaultSwitch;
  close(): Promise<void>;
}

/** The part of the base options a simulator's journaled store takes: where, and when to compact. */
export function storeOptions(opts: SimulatorBaseOptions): { dir?: string; compactBytes?: number } {
  return {
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    ...(opts.compactBytes !== undefined ? { compactBytes: opts.compactBytes } : {}),
  };
}

/** The part of the base options `startHttpServer` takes: where to listen, and the console secret. */
export function listenOptions(
  opts: SimulatorBaseOptions,
): Pick<HttpServerOptions, 'host' | 'port' | 'allowRemote' | 'consoleToken'> {
  return {
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.allowRemote !== undefined ? { allowRemote: opts.allowRemote } : {}),
    ...(opts.consoleToken !== undefined ? { consoleToken: opts.consoleToken } : {}),
  };
}

/** The fault switch the base options start with (none unless `faults` says so). */
export function faultSwitchOf(opts: SimulatorBaseOptions): FaultSwitch {
  return new FaultSwitch(opts.faults ?? {}, opts.random);
}
