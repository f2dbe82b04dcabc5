import type { KindSession } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { Provider, ProviderConnection, RemoteObject } from '../provider.js';
import type { SandboxConsole } from '../sandbox-host.js';

/** Shares (0–1) of requests a sandbox answers with a 5xx, a 429 or a dropped connection. */
export interface ContractFaults {
  errorRate: number;
  throttleRate: number;
  dropRate: number;
}

/** Faults a sandbox injected so far, by kind (the shape of `@roster/sim-kit`'s `InjectedFaults`). */
export interface ContractInjectedFaults {
  errors: number;
  throttles: number;
  dropsBefore: number;
  dropsAfter: number;
}

/** One running sandbox of the provider under test, started fresh for each group of checks. */
export interface ContractSandbox {
  /**
   * Open a connection to this sandbox, signed in with the fixture's credentials (those in
   * `ContractFixture.secrets`); with `readCredentials`, as the read-only account.
   */
  connect(req: { log: Logger; readCredentials?: boolean }): Promise<ProviderConnection>;
  /** Secrets this sandbox made up when it started (e.g. its console's token); none may show either. */
  secrets?: readonly string[];
  /**
   * The sandbox's console (`SandboxHost.console`), which does manual steps as a person would;
   * required when a kind has a manual operation and the sandbox can do it.
   */
  sandboxConsole?: SandboxConsole;
  /**
   * The sandbox's fault injection. Absent when the sandbox has nothing to fault (no HTTP between
   * roster and it); the fault checks are then skipped.
   */
  faults?: {
    /** Switch faults for what follows (all zero: off). */
    set(faults: ContractFaults): void;
    injected(): ContractInjectedFaults;
  };
  close(): Promise<void>;
}

/**
 * What a sample hook may use: the run's session (the provider's connection with each kind's
 * operations and the sandbox console's `operate`, as core calls them) and the fixture's own sandbox.
 */
export interface SampleContext<S extends ContractSandbox> {
  conn: KindSession;
  sandbox: S;
}

/** Attributes of a sample, or a hook that makes what they refer to first and returns them. */
export type SampleAttributes<S extends ContractSandbox> =
  | Record<string, unknown>
  | ((ctx: SampleContext<S>) => Promise<Record<string, unknown>>);

/** Sample specs of one kind, which the suite takes through its whole life. */
export interface KindSample<S extends ContractSandbox> {
  /**
   * A valid desired spec (without `local` attributes such as `credentials`), references resolved as
   * `{ ref, id }`. A hook runs once per sandbox, and may first make what the sample refers to.
   */
  create: SampleAttributes<S>;
  /** The attributes an update changes, with their new values. */
  update: SampleAttributes<S>;
  /**
   * A change made behind roster's back, through the sandbox's console or raw API as a person or
   * another tool would: `attribute` is what the next read (or reconfirmation) must report as drift.
   */
  drift: { attribute: string; change(ctx: SampleContext<S>, object: RemoteObject): Promise<unknown> };
}

/** A provider, a way to start its sandbox, and a sample for every kind it declares. */
export interface ContractFixture<S extends ContractSandbox = ContractSandbox> {
  provider: Provider;
  /** Start a fresh sandbox. */
  sandbox(): Promise<S>;
  kinds: Record<string, KindSample<S>>;
  /** The credential values the sandbox signs in with: none may show in objects, errors or logs. */
  secrets: readonly string[];
  /**
   * Set when the sandbox knows a read-only account (`credentials.read`): a write through
   * `connect({ readCredentials: true })` must be refused. Omitted only where the system has no
   * such account; the fixture says why, with its source.
   */
  readOnlyCredentials?: boolean;
}
