import type { SandboxHost, SandboxServeRequest, SandboxServer } from '@roster/core';

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
