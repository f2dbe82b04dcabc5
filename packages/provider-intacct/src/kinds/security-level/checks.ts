import type { CheckedResource, CheckRequest, CheckResult, ProviderCheckResult } from '@roster/core';
import type { IntacctClient } from '../../client/client.js';
import { permissionCatalogue } from '../../client/permission-catalogue.js';
import { ACCESS_RIGHT_ALIASES, intacctRight } from '../../permission-data/access-rights.js';
import { closest, isOldForm, oldFormMessage } from '../../permission-data/catalogue.js';

/** Manifest checks that need no system: old-form permission keys. */
export function check({ spec }: CheckRequest): CheckResult {
  const perms = spec.permissions;
  if (!perms || typeof perms !== 'object') return { diagnostics: [] };
  return {
    diagnostics: Object.keys(perms)
      .filter(isOldForm)
      .map((key) => ({
        severity: 'error' as const,
        code: 'intacct.permission-old-form',
        message: oldFormMessage(key),
        path: `/permissions/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      })),
  };
}

/**
 * Checks against the company's permission catalogue (read with the roles' bulk refresh): every
 * permission a SecurityLevel names must be one of the company's `<module>/<name>`s, and every
 * right one its `allowedAccessRights` allow; errors are placed at the manifest line, with the
 * closest names. (The `view`/`edit` aliases are written as Intacct names them by the
 * attribute's `normalize`, before the diff.)
 */
export async function validatePermissions(
  client: IntacctClient,
  req: { resources: CheckedResource[] },
): Promise<ProviderCheckResult> {
  const roles = req.resources.filter((r) => r.kind === 'SecurityLevel');
  const diagnostics: ProviderCheckResult['diagnostics'] = [];
  if (roles.length === 0) return { diagnostics };
  const catalogue = await permissionCatalogue(client);
  const names = catalogue.names();
  const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
  for (const role of roles) {
    const perms = role.spec.permissions;
    if (!perms || typeof perms !== 'object') continue;
    for (const [name, rights] of Object.entries(perms as Record<string, unknown>)) {
      const path = `/permissions/${pointer(name)}`;
      if (isOldForm(name)) {
        continue; // the kind's own check reports it
      }
      const p = catalogue.byName.get(name);
      if (!p) {
        diagnostics.push({
          severity: 'error',
          code: 'intacct.unknown-permission',
          message: `${name} is not a permission of this Intacct company (company-config/permission); closest: ${closest(name, names).join(', ')}`,
          address: role.address,
          path,
        });
        continue;
      }
      if (!Array.isArray(rights)) continue;
      for (const [i, right] of rights.entries()) {
        if (typeof right !== 'string') continue;
        const wire = intacctRight(right);
        if (p.allowedAccessRights.includes(wire)) continue;
        const alias = ACCESS_RIGHT_ALIASES[right] ? ` (${right} means ${wire})` : '';
        diagnostics.push({
          severity: 'error',
          code: 'intacct.access-right-not-allowed',
          message: `${name} does not allow ${right}${alias}: its allowed access rights are ${p.allowedAccessRights.join(', ')}; closest: ${closest(wire, p.allowedAccessRights).join(', ')}`,
          address: role.address,
          path: `${path}/${i}`,
        });
      }
    }
  }
  return { diagnostics };
}
