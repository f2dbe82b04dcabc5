import type { CheckRequest, CheckResult } from '@roster/core';
import { RECOMMENDED_BASE_LEVEL } from '../../facts.js';
import type { SecurityLevelSpec } from './spec.js';

/** Checks on one security level's desired spec: declared inactive, or copied from itself. */
export function check(req: CheckRequest): CheckResult {
  const spec = req.spec as Partial<SecurityLevelSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (spec.active === false) {
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.security-level-inactive',
      path: '/active',
      message: `security level ${spec.name ?? req.name} is declared inactive: Autotask offers only active levels for API users, so none can be given it (those that have it keep it)`,
    });
  }
  if (spec.copiedFrom && spec.name && spec.copiedFrom.toLowerCase() === spec.name.toLowerCase()) {
    diagnostics.push({
      severity: 'error',
      code: 'autotask.copied-from-itself',
      path: '/copiedFrom',
      message: `security level ${spec.name} cannot be a copy of itself: set copiedFrom to ${RECOMMENDED_BASE_LEVEL}`,
    });
  }
  return { diagnostics };
}
