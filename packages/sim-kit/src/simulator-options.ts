import type { SimulatorFaults } from './faults.js';

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
