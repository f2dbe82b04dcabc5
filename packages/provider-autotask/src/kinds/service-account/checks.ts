import type { CheckRequest, CheckResult } from '@roster/core';
import type { ServiceAccountSpec } from './spec.js';

/** Checks on one API user's desired spec: an inactive or locked one, or one with nowhere to keep its secret. */
export function check(req: CheckRequest): CheckResult {
  const spec = req.spec as Partial<ServiceAccountSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  const who = `API user ${spec.email ?? req.name}`;
  // Declaring an API user inactive or locked is allowed (a deliberate pause), but it is never what
  // an integration needs: say plainly that it cannot sign in.
  if (spec.active === false) {
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.api-user-inactive',
      path: '/active',
      message: `${who} is declared inactive: the integration using it cannot sign in (an API user must be active and not locked)`,
    });
  }
  if (spec.locked === true) {
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.api-user-locked',
      path: '/locked',
      message: `${who} is declared locked: the integration using it cannot sign in (an API user must be active and not locked)`,
    });
  }
  if (!spec.credentials || spec.credentials.secret === undefined) {
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.no-secret-place',
      path: spec.credentials ? '/credentials' : '',
      message: `${who} has no credentials.secret: Autotask shows a new API user's secret once, and roster can then name no place to keep it (add credentials: { secret: \${file:…} })`,
    });
  }
  return { diagnostics };
}
