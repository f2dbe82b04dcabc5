import type { Permission, PermissionsRequest, PolicyRule, WorldResource } from '@roster/core';
import { intacctRight } from './permission-data/access-rights.js';
import { isOldForm, oldFormMessage } from './permission-data/catalogue.js';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Grants that let an account change rights (its own included): adding, editing or deleting users
 * (their roles and admin privileges are fields of the user), and granting admin rights.
 */
function escalates(permission: string, right: string): boolean {
  if (permission === 'company/grantAdminRights') return true;
  return permission === 'company/users' && (right === 'add' || right === 'modify' || right === 'delete');
}

/** A role's grants: `<module>/<name>: <access right>` for each right (`view`/`edit` as Intacct names them). */
function roleGrants(role: WorldResource | undefined, pointer: string, ref: unknown): Permission[] {
  if (!role) return [undeclared('role', ref)];
  const perms = role.attributes.permissions;
  if (!perms || typeof perms !== 'object') return [];
  return Object.entries(perms as Record<string, unknown>).flatMap(([permission, rights]) =>
    (Array.isArray(rights) ? rights : []).map((r) => {
      const right = intacctRight(String(r));
      return {
        name: `${permission}: ${right}`,
        ...(escalates(permission, right) ? { escalates: true } : {}),
        pointer,
      };
    }),
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
  for (const [i, ref] of refs(a.roles).entries())
    out.push(...roleGrants(world.resolve(resource, 'SecurityLevel', ref), `/spec/roles/${i}`, ref));
  for (const [i, ref] of refs(a.groups).entries()) {
    const group = world.resolve(resource, 'Group', ref);
    if (!group) {
      out.push(undeclared('user group', ref));
      continue;
    }
    for (const roleRef of refs(group.attributes.roles))
      out.push(...roleGrants(world.resolve(group, 'SecurityLevel', roleRef), `/spec/groups/${i}`, roleRef));
  }
  return out;
}

/**
 * A role or group the account holds that this side of the plan does not declare (a system role,
 * one made by hand, or one a targeted plan leaves out): what it grants is not known to roster, but
 * that the account holds it must show in the review. A system Administrator role can do
 * everything, changing rights included.
 */
function undeclared(what: string, ref: unknown): Permission {
  const id = ref && typeof ref === 'object' && 'ref' in ref ? String(ref.ref) : String(ref);
  return {
    name: `${what} ${id} (not declared here: its rights are unknown to roster)`,
    ...(id === '::SYS::Administrator' ? { escalates: true } : {}),
  };
}

/** Intacct's policy rules. */
export const intacctPolicies: PolicyRule[] = [
  {
    id: 'intacct.permission-old-form',
    description:
      "A role in state was recorded with roster's earlier <application>/<object> permission keys; Intacct names permissions <module>/<name> (company-config/permission).",
    // A warning, not an error: an error would block the very apply that records the new form.
    severity: 'warning',
    evaluate(ctx) {
      const intacct = new Set(
        [...ctx.world.resources, ...ctx.desired]
          .filter((r) => r.providerType === 'intacct')
          .map((r) => r.provider),
      );
      const hits = [];
      for (const [address, entry] of Object.entries(ctx.state.resources)) {
        if (entry.kind !== 'SecurityLevel' || !intacct.has(entry.provider)) continue;
        const perms = entry.attributes.permissions;
        if (!perms || typeof perms !== 'object') continue;
        const old = Object.keys(perms).filter(isOldForm);
        if (old.length === 0) continue;
        hits.push({
          address,
          message: `state of ${address} holds permissions in the old form: ${old.map(oldFormMessage).join('; ')}. write the new form in the manifest, then record what Intacct has with roster plan --refresh-only --out FILE and roster apply FILE`,
        });
      }
      return hits;
    },
  },
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
