import type {
  CheckedResource,
  ConnectionStats,
  OperateRequest,
  OperateResult,
  ProviderCheckResult,
  ProviderConnection,
} from '@roster/core';
import type { IntacctClient } from './client/client.js';
import { validatePermissions } from './kinds/security-level/checks.js';
import { SandboxOperator } from './sandbox-operator.js';

/**
 * A session with one Intacct company (or its sandbox): what every kind's operations share (the
 * client, its counters and the permission catalogue it caches), passed to them as `connection`.
 */
export class IntacctConnection implements ProviderConnection {
  readonly client: IntacctClient;
  readonly #onClose: (() => Promise<void>) | undefined;

  /** Sandboxes only: the password reset a person does in the UI (see `SandboxOperator`). */
  readonly operate?: (req: OperateRequest) => Promise<OperateResult>;

  constructor(
    client: IntacctClient,
    onClose?: () => Promise<void>,
    sandboxUrl?: string,
    consoleToken?: string,
  ) {
    this.client = client;
    this.#onClose = onClose;
    if (sandboxUrl) {
      const operator = new SandboxOperator(sandboxUrl, consoleToken);
      this.operate = (req) => operator.operate(req);
    }
  }

  /** Plan-time checks of roles against the company's permission catalogue (`validatePermissions`). */
  validate(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult> {
    return validatePermissions(this.client, req);
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
