import type { Permission, PermissionsRequest, PolicyRule, WorldResource } from '@roster/core';
import { DEFAULT_ALL_USERS_GROUP } from './config.js';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isAllUsers = (group: WorldResource | undefined, ref: unknown) => {
  const id = group?.attributes.id ?? (ref as { ref?: unknown } | undefined)?.ref;
  return typeof id === 'string' && id.toLowerCase() === DEFAULT_ALL_USERS_GROUP.toLowerCase();
};

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
  for (const c of world.resources) {
    if (c.provider !== resource.provider || c.kind !== 'Connector' || c.attributes.blocked === true) continue;
    const group = world.resolve(c, 'Group', c.attributes.group);
    if (!(group && member.has(group.address)) && !isAllUsers(group, c.attributes.group)) continue;
    const app = String(c.attributes.description ?? c.name);
    for (const g of refs(c.attributes.getConnectors))
      out.push({ name: `GetConnector ${String(g)}: read (${app})` });
    for (const u of refs(c.attributes.updateConnectors))
      out.push({ name: `UpdateConnector ${String(u)}: write (${app})` });
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
