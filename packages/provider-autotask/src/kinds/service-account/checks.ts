import type { CheckRequest, CheckResult, Permission, PermissionsRequest } from '@roster/core';
import { PERMISSION_RIGHTS } from '../../facts.js';
import { baseLevelOf, COST_READING_LEVEL } from '../../policies.js';
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

/**
 * What an API user can do: the permissions of its security level (a scope such as `All`, or each
 * right), and reading costs when the level descends from the cost-reading API level. An inactive or
 * locked API user can do nothing.
 */
export function serviceAccountPermissions({ resource, world }: PermissionsRequest): Permission[] {
  const a = resource.attributes;
  if (a.active === false || a.locked === true) return [];
  const level = world.resolve(resource, 'SecurityLevel', a.securityLevel);
  if (!level || level.attributes.active === false) return [];
  const out: Permission[] = [];
  // Every permission comes through the security level: one path shared by all of them.
  const via = [level.address];
  const perms = level.attributes.permissions;
  if (perms && typeof perms === 'object')
    for (const [object, value] of Object.entries(perms as Record<string, unknown>)) {
      if (typeof value === 'string') {
        if (value !== 'None') out.push({ name: `${object}: ${value}`, via });
      } else if (Array.isArray(value))
        for (const r of PERMISSION_RIGHTS) if (value.includes(r)) out.push({ name: `${object}: ${r}`, via });
    }
  if (baseLevelOf(level, world) === COST_READING_LEVEL) out.push({ name: 'Costs: View', via });
  return out;
}
