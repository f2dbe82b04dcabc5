import type { Permission, PermissionsRequest } from '@roster/core';

/**
 * What a connection can do: whatever the managed account it signs in as can do in its own system
 * (named `<provider>: <permission>`), so a reviewer sees a Getint connection widen when the Autotask
 * security level behind its account does. An external account's rights are not known to roster.
 */
export function connectorPermissions({ resource, world }: PermissionsRequest): Permission[] {
  const target = world.resolve(resource, 'ServiceAccount', resource.attributes.account);
  if (!target) return [];
  return world.permissionsOf(target).map((p) => ({ ...p, name: `${target.provider}: ${p.name}` }));
}
