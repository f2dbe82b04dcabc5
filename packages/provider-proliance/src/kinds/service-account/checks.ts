import type { Permission, PermissionsRequest } from '@roster/core';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What an integration account can do: the rights of its security roles per permission area. A role
 * granting Security Permissions lets the account change roles, its own included (the vendor's tip):
 * that permission `escalates`. An inactive account can do nothing.
 */
export function serviceAccountPermissions({ resource, world }: PermissionsRequest): Permission[] {
  if (resource.attributes.active === false) return [];
  const out: Permission[] = [];
  for (const [i, ref] of refs(resource.attributes.roles).entries()) {
    const role = world.resolve(resource, 'SecurityLevel', ref);
    if (!role) continue;
    const via = [role.address];
    const perms = role.attributes.permissions;
    if (perms && typeof perms === 'object')
      for (const [area, rights] of Object.entries(perms as Record<string, unknown>))
        for (const r of Array.isArray(rights) ? rights : []) out.push({ name: `${area}: ${String(r)}`, via });
    if (role.attributes.securityPermissions === true)
      out.push({
        name: `Security Permissions: change security roles (role ${String(role.attributes.name ?? role.name)})`,
        escalates: true,
        pointer: `/spec/roles/${i}`,
        via,
      });
  }
  return out;
}
