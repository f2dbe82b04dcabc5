import type { CheckRequest, CheckResult, Permission, PermissionsRequest, WorldResource } from '@roster/core';
import { intacctRight } from '../../permission-data/access-rights.js';
import type { ServiceAccountSpec } from './spec.js';

/** Checks of one web services user's spec: admin privileges only for business users; matching e-mails. */
export function check(req: CheckRequest): CheckResult {
  const spec = req.spec as Partial<ServiceAccountSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  const userType = spec.userType ?? 'business';
  if (spec.adminPrivileges && spec.adminPrivileges !== 'off' && userType !== 'business') {
    diagnostics.push({
      severity: 'error',
      code: 'intacct.admin-privileges',
      path: '/adminPrivileges',
      message: `Intacct allows admin privileges only for business users: ${req.name} has userType ${userType} and adminPrivileges ${spec.adminPrivileges}; set adminPrivileges: off or userType: business`,
    });
  }
  const contactEmail = spec.contact?.email;
  if (spec.email && contactEmail && spec.email.trim().toLowerCase() !== contactEmail.trim().toLowerCase()) {
    diagnostics.push({
      severity: 'warning',
      code: 'intacct.email-mismatch',
      path: '/email',
      message: `email ${spec.email} differs from the contact's primary e-mail ${contactEmail}; Intacct requires them to match when the e-mail changes (set contact.email to the same address)`,
    });
  }
  return { diagnostics };
}

/**
 * Intacct checks a new account e-mail against the linked contact's primary e-mail, so when both
 * change the contact must be updated first.
 */
export function updateSteps(req: { changed: readonly string[] }): string[] {
  if (!req.changed.includes('email') || !req.changed.includes('contact')) return [];
  return [
    "update the linked contact's primary e-mail (company-config/contact email1)",
    "then update the user's account e-mail (accountEmail), which Intacct checks against the contact's",
  ];
}

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Grants that let an account change rights (its own included): adding, editing or deleting users
 * (their roles and admin privileges are fields of the user), and granting admin rights.
 */
function escalates(permission: string, right: string): boolean {
  if (permission === 'company/grantAdminRights') return true;
  return permission === 'company/users' && (right === 'add' || right === 'modify' || right === 'delete');
}

/**
 * A role's grants: `<module>/<name>: <access right>` for each right (`view`/`edit` as Intacct names
 * them), each `via` the path to the role (`through`: the group, when it is a group's role).
 */
function roleGrants(
  role: WorldResource | undefined,
  pointer: string,
  ref: unknown,
  through: readonly string[] = [],
): Permission[] {
  if (!role) return [undeclared('role', ref, through)];
  const perms = role.attributes.permissions;
  if (!perms || typeof perms !== 'object') return [];
  // One path shared by the role's grants: a large company holds many of them per account.
  const via = [...through, role.address];
  return Object.entries(perms as Record<string, unknown>).flatMap(([permission, rights]) =>
    (Array.isArray(rights) ? rights : []).map((r) => {
      const right = intacctRight(String(r));
      return {
        name: `${permission}: ${right}`,
        ...(escalates(permission, right) ? { escalates: true } : {}),
        pointer,
        via,
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
      out.push(
        ...roleGrants(world.resolve(group, 'SecurityLevel', roleRef), `/spec/groups/${i}`, roleRef, [
          group.address,
        ]),
      );
  }
  return out;
}

/**
 * A role or group the account holds that this side of the plan does not declare (a system role,
 * one made by hand, or one a targeted plan leaves out): what it grants is not known to roster, but
 * that the account holds it must show in the review. A system Administrator role can do
 * everything, changing rights included.
 */
function undeclared(what: string, ref: unknown, through: readonly string[] = []): Permission {
  const id = ref && typeof ref === 'object' && 'ref' in ref ? String(ref.ref) : String(ref);
  return {
    name: `${what} ${id} (not declared here: its rights are unknown to roster)`,
    ...(id === '::SYS::Administrator' ? { escalates: true } : {}),
    ...(through.length > 0 ? { via: [...through] } : {}),
  };
}
