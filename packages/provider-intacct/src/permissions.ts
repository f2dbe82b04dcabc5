import type { Permission, PermissionsRequest, PolicyRule, WorldResource } from '@roster/core';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A role's grants: `<object>: <right>` for each right on each object. */
function roleGrants(role: WorldResource | undefined): Permission[] {
  const perms = role?.attributes.permissions;
  if (!perms || typeof perms !== 'object') return [];
  return Object.entries(perms as Record<string, unknown>).flatMap(([object, rights]) =>
    (Array.isArray(rights) ? rights : []).map((r) => ({ name: `${object}: ${String(r)}` })),
  );
}

/**
 * What a web services user can do: the rights of its roles, and of the roles of its user groups,
 * plus its admin privileges. A locked or inactive user cannot sign in, so it can do nothing.
 */
export function serviceAccountPermissions({ resource, world }: PermissionsRequest): Permission[] {
  const a = resource.attributes;
  if (a.status === 'inactive' || a.status === 'locked') return [];
  const out: Permission[] = [];
  if (a.adminPrivileges === 'limited' || a.adminPrivileges === 'full')
    out.push({ name: `Company › Admin privileges: ${a.adminPrivileges}` });
  for (const ref of refs(a.roles)) out.push(...roleGrants(world.resolve(resource, 'SecurityLevel', ref)));
  for (const ref of refs(a.groups)) {
    const group = world.resolve(resource, 'Group', ref);
    for (const roleRef of refs(group?.attributes.roles))
      out.push(...roleGrants(group ? world.resolve(group, 'SecurityLevel', roleRef) : undefined));
  }
  return out;
}

/** Intacct's policy rules. */
export const intacctPolicies: PolicyRule[] = [
  {
    id: 'intacct.web-services-admin',
    description:
      'A web services user with admin privileges (limited or full): an integration credential that can create users, change roles and, when full, make other administrators.',
    severity: 'error',
    evaluate(ctx) {
      return ctx.desired
        .filter(
          (r) =>
            r.providerType === 'intacct' &&
            r.kind === 'ServiceAccount' &&
            (r.attributes.adminPrivileges === 'limited' || r.attributes.adminPrivileges === 'full'),
        )
        .map((r) => ({
          address: r.address,
          message: `web services user ${String(r.attributes.id)} has adminPrivileges ${String(r.attributes.adminPrivileges)}: an integration needs roles, not administrator rights (set adminPrivileges: off)`,
          pointer: '/spec/adminPrivileges',
        }));
    },
  },
];
