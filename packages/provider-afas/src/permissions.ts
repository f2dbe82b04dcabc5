import type { Permission, PermissionsRequest, PolicyRule, WorldResource } from '@roster/core';
import { DEFAULT_ALL_USERS_GROUP } from './config.js';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isAllUsers = (group: WorldResource | undefined, ref: unknown) => {
  const id = group?.attributes.id ?? (ref as { ref?: unknown } | undefined)?.ref;
  return typeof id === 'string' && id.toLowerCase() === DEFAULT_ALL_USERS_GROUP.toLowerCase();
};

type World = PermissionsRequest['world'];

/** An unblocked app connector: the group it is linked to, and what it grants. */
interface ConnectorGrant {
  group: string | undefined;
  everybody: boolean;
  permissions: Permission[];
}

// Worked out once per world and provider: every token user of a project would otherwise go
// through every resource of it again (quadratic in the size of the project).
const grantsByWorld = new WeakMap<World, Map<string, ConnectorGrant[]>>();

function connectorGrants(world: World, provider: string): ConnectorGrant[] {
  let byProvider = grantsByWorld.get(world);
  if (!byProvider) {
    byProvider = new Map();
    for (const c of world.resources) {
      if (c.kind !== 'Connector' || c.attributes.blocked === true) continue;
      const group = world.resolve(c, 'Group', c.attributes.group);
      const app = String(c.attributes.description ?? c.name);
      // The user reaches the connectors through the group (when declared), then the app connector.
      const via = group ? [group.address, c.address] : [c.address];
      const permissions: Permission[] = [
        ...refs(c.attributes.getConnectors).map((g) => ({
          name: `GetConnector ${String(g)}: read (${app})`,
          via,
        })),
        ...refs(c.attributes.updateConnectors).map((u) => ({
          name: `UpdateConnector ${String(u)}: write (${app})`,
          via,
        })),
      ];
      const list = byProvider.get(c.provider) ?? [];
      list.push({ group: group?.address, everybody: isAllUsers(group, c.attributes.group), permissions });
      byProvider.set(c.provider, list);
    }
    grantsByWorld.set(world, byProvider);
  }
  return byProvider.get(provider) ?? [];
}

/**
 * What a token user can do: the GetConnectors (read) and UpdateConnectors (write) of every unblocked
 * app connector whose user group it belongs to — its groups, and the group of all users. A blocked
 * user can do nothing.
 */
export function serviceAccountPermissions({ resource, world }: PermissionsRequest): Permission[] {
  if (resource.attributes.blocked === true) return [];
  const member = new Set(
    refs(resource.attributes.groups)
      .map((ref) => world.resolve(resource, 'Group', ref)?.address)
      .filter((a): a is string => a !== undefined),
  );
  const out: Permission[] = [];
  for (const grant of connectorGrants(world, resource.provider)) {
    if (grant.everybody || (grant.group !== undefined && member.has(grant.group)))
      out.push(...grant.permissions);
  }
  return out;
}

/** AFAS's policy rules. */
export const afasPolicies: PolicyRule[] = [
  {
    id: 'afas.connector-everybody',
    description:
      'An app connector linked to the group of all users (Everybody): every Profit user with a token can use its connectors. Fine for a leave app (the AFAS example), wrong for an integration.',
    severity: 'warning',
    evaluate(ctx) {
      return ctx.desired
        .filter((r) => r.providerType === 'afas' && r.kind === 'Connector')
        .filter((r) => isAllUsers(ctx.world.resolve(r, 'Group', r.attributes.group), r.attributes.group))
        .map((r) => ({
          address: r.address,
          message: `app connector ${String(r.attributes.description ?? r.name)} is linked to ${DEFAULT_ALL_USERS_GROUP}: every Profit user can use it; link it to a group of the integration's users`,
          pointer: '/spec/group',
        }));
    },
  },
];
