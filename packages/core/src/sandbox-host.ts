import type { Logger } from './logger.js';
import type { OperateRequest, OperateResult } from './provider.js';
import type { Secret } from './secret.js';

/**
 * What core needs of a provider's sandbox: the simulated system a Provider document reaches with
 * `endpoint: sandbox`. It is not part of the `Provider` contract: a provider package exports it
 * from its `./sandbox` entry (`ProviderSandbox` in `@roster/sim-kit`, which adds serving), and the
 * CLI loads that entry only when a Provider document says `endpoint: sandbox`.
 */
export interface SandboxHost {
  /** Start the simulated system in this process; `Provider.connect` then reaches it as a real endpoint. */
  start(req: SandboxStartRequest): Promise<StartedSandbox>;
  /** The running simulator's admin console, which does manual steps as a person would in the UI (`apply --sandbox-operator`). */
  console?(req: SandboxConsoleRequest): SandboxConsole;
}

/** Loads the sandbox of a provider type (its package's `./sandbox` entry); undefined when it has none. */
export type SandboxHosts = (type: string) => Promise<SandboxHost | undefined>;

export interface SandboxStartRequest {
  /** `metadata.name` of the Provider document. */
  name: string;
  /** The Provider document's `spec` without `credentials` (its `endpoint` is `sandbox`). */
  config: Record<string, unknown>;
  /** The credentials the connection signs in with: the simulator accepts them. */
  credentials: Record<string, Secret | undefined>;
  /**
   * True when `credentials` are the document's `credentials.read` set: the simulator knows them as
   * a read-only account and refuses writes, as the real system refuses a read-only user.
   */
  readCredentials?: boolean;
  /** Where the simulated system persists (under the state directory); in memory when absent. */
  dir?: string;
  log: Logger;
}

export interface StartedSandbox {
  /** The configuration `Provider.connect` receives: the document's, with the simulator's address as its endpoint. */
  config: Record<string, unknown>;
  /** The admin console's per-run secret, when the simulator has a console. */
  consoleToken?: string;
  close(): Promise<void>;
}

export interface SandboxConsoleRequest {
  name: string;
  /** The configuration a connection to the running simulator uses (`StartedSandbox.config`). */
  config: Record<string, unknown>;
  /** `StartedSandbox.consoleToken`. */
  token?: string;
  /** The credentials the run's connection signs in with, for a console that reads back through the API. */
  credentials?: Record<string, Secret | undefined>;
  log: Logger;
}

/** Manual steps done in a sandbox through its console. */
export interface SandboxConsole {
  operate(req: OperateRequest): Promise<OperateResult>;
}
