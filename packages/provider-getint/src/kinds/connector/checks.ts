import type { Permission, PermissionsRequest } from '@roster/core';

/**
 * What a connection can do: whatever the managed account it signs in as can do in its own system
 * (named `<provider>: <permission>`), so a reviewer sees a Getint connection widen when the Autotask
 * security level behind its account does; each `via` that account, then the account's own path. An
 * external account's rights are not known to roster.
 */
export function connectorPermissions({ resource, world }: PermissionsRequest): Permission[] {
  const target = world.resolve(resource, 'ServiceAccount', resource.attributes.account);
  if (!target) return [];
  return world
    .permissionsOf(target)
    .map((p) => ({ ...p, name: `${target.provider}: ${p.name}`, via: [target.address, ...(p.via ?? [])] }));
}

/** What an edit of a connection's URL or account asks the person to check first (Getint docs). */
export function connectorUpdateSteps({ changed }: { changed: readonly string[] }): string[] {
  return changed.includes('account') || changed.includes('url')
    ? [
        'Changing the URL or the account of a connection can break the integrations that use it (Getint docs): check that the new account can reach the same projects before saving.',
      ]
    : [];
}
