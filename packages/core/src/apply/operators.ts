import type { ManualOperator, ManualStepOutcome, ManualStepRequest } from './manual.js';

/**
 * `apply --sandbox-operator`: does each manual step through the sandbox simulator's console, the
 * way a person would in the system's UI, so a whole guided apply runs unattended on sandboxes.
 */
export class SandboxOperator implements ManualOperator {
  readonly canRetry = false;
  async perform(req: ManualStepRequest): Promise<ManualStepOutcome> {
    if (!req.connection.operate) {
      return {
        status: 'pending',
        reason: `provider ${req.change.provider} cannot perform manual steps in its sandbox`,
      };
    }
    const result = await req.connection.operate(req.operate);
    return {
      status: 'done',
      ...(result.secrets ? { secrets: result.secrets } : {}),
      ...(result.object ? { object: result.object } : {}),
    };
  }
}

/**
 * `apply --confirm ADDR` without a terminal: the person states that they did the steps of these
 * addresses (after working through `.roster/runbook.md`); roster still reads each system back and
 * verifies what it can. Every other manual step stays pending.
 */
export class ConfirmedStepsOperator implements ManualOperator {
  readonly canRetry = false;
  constructor(private readonly confirmed: ReadonlySet<string>) {}
  async perform(req: ManualStepRequest): Promise<ManualStepOutcome> {
    if (this.confirmed.has(req.change.address) || this.confirmed.has('all')) return { status: 'done' };
    return { status: 'pending', reason: 'manual step: a person does it in the system' };
  }
}
