import type { SandboxHost, Secret } from '@roster/core';

/**
 * A provider's sandbox, the default export of its package's `./sandbox` entry: the simulated
 * system, started in-process for Provider documents with `endpoint: sandbox` (`start`, core's
 * `SandboxHost`), served over HTTP by `roster sandbox serve` (`serve`), and optionally its admin
 * console for manual steps (`console`). Kept out of the `Provider` contract: a connection to a real
 * system never loads it.
 */
export interface ProviderSandbox extends SandboxHost {
  serve(req: SandboxServeRequest): Promise<SandboxServer>;
}

/** `roster sandbox serve`: the simulator over HTTP, standing in for the real system. */
export interface SandboxServeRequest {
  name: string;
  config: Record<string, unknown>;
  /** The Provider document's top-level (write) credentials. */
  credentials: Record<string, Secret | undefined>;
  /**
   * `spec.credentials.read`, when given. A served sandbox stands in for the real system, which
   * knows both accounts: it accepts this set too, as an account that may read but not write.
   */
  readCredentials?: Record<string, Secret | undefined>;
  sandboxDir: string;
  host: string;
  port: number;
  /** `--allow-remote`: listening on a non-loopback `host` was asked for explicitly. */
  allowRemote?: boolean;
  /** Fault and latency switches. */
  faults?: SandboxFaults;
}

/** Fault and latency switches of a sandbox. */
export interface SandboxFaults {
  latencyMs?: number;
  /** Share (0–1) of requests answered with a 5xx error. */
  errorRate?: number;
  /** Share (0–1) of requests answered with 429. */
  throttleRate?: number;
  /** Share (0–1) of requests whose connection is dropped. */
  dropRate?: number;
}

/** A served sandbox. */
export interface SandboxServer {
  url: string;
  /**
   * The admin console's per-run secret (header `x-roster-sandbox-token`); `roster sandbox serve`
   * prints it and writes it to a 0600 file. Undefined only for a sandbox with no console.
   */
  consoleToken?: string;
  close(): Promise<void>;
}
