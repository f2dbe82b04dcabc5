import type { CheckRequest, CheckResult } from '@roster/core';
import { SECURITY_PERMISSIONS_AREA } from '../common.js';
import type { SecurityLevelSpec } from './spec.js';

/**
 * What a role's schema cannot say: Security Permissions is its own attribute, not an area, and
 * areas are named regardless of case.
 */
export function checkSecurityLevel(req: CheckRequest): CheckResult {
  const s = req.spec as Partial<SecurityLevelSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  const seen = new Map<string, string>();
  for (const area of Object.keys(s.permissions ?? {})) {
    const pointer = `/permissions/${area.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (area.toLowerCase() === SECURITY_PERMISSIONS_AREA.toLowerCase()) {
      diagnostics.push({
        severity: 'error',
        code: 'proliance.security-permissions-area',
        message: `security role ${s.name ?? req.name}: give Security Permissions with securityPermissions: true|false, not as a permission area (roster checks which accounts hold it)`,
        path: pointer,
      });
      continue;
    }
    const first = seen.get(area.toLowerCase());
    if (first !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'proliance.duplicate-permission-area',
        message: `permission area ${area} is also listed as ${first}: Proliance names areas regardless of case`,
        path: pointer,
      });
    } else seen.set(area.toLowerCase(), area);
  }
  return { diagnostics };
}
