import { type OperateRequest, type OperateResult, Secret } from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';

/**
 * Performs the one manual step of Intacct (a web services user's password reset, which the API
 * cannot do) on a sandbox, through the simulator's admin console: what `apply --sandbox-operator`
 * does in place of a person in the UI. The new password is what Intacct would e-mail to the user.
 */
export class SandboxOperator {
  readonly #url: string;
  readonly #token: string | undefined;

  constructor(url: string, consoleToken?: string) {
    this.#url = url.replace(/\/+$/, '');
    this.#token = consoleToken;
  }

  async operate(req: OperateRequest): Promise<OperateResult> {
    if (req.kind !== 'ServiceAccount' || req.operation !== 'rotate')
      throw new Error(`the Intacct sandbox has no manual step ${req.operation} for a ${req.kind}`);
    const res = await fetch(
      `${this.#url}/__sandbox/users/${encodeURIComponent(req.naturalKey)}/reset-password`,
      { method: 'POST', headers: consoleHeaders(this.#token) },
    );
    const body = (await res.json().catch(() => ({}))) as { password?: unknown; error?: unknown };
    if (!res.ok || typeof body.password !== 'string')
      throw new Error(
        `the Intacct sandbox refused to reset the password of ${req.naturalKey} (HTTP ${res.status})`,
      );
    // The user is read back by roster through the API, as after any manual step.
    return {
      secrets: { password: new Secret(body.password, `intacct sandbox: password of ${req.address}`) },
    };
  }
}
