import { QUERY_OBJECTS } from '../permission-data/catalogue.js';
import type { TokenClaims } from './auth.js';
import { SimError } from './errors.js';
import type { UserRec } from './records.js';
import type { SimDb } from './store.js';

/**
 * Role-based permissions, as far as the sandbox enforces them: a web services user without admin
 * privileges may query an object only if one of its roles, given directly or through one of its
 * user groups, grants `list` on a permission that guards the object (`QUERY_OBJECTS`:
 * `accountsPayable/bills` guards `accounts-payable/bill`, `company/users` guards
 * `company-config/user`, …). Administrators and users the sandbox does not have (roster's own
 * sign-in with declared or placeholder credentials) are not limited. Which permission Intacct
 * checks for each object, and how it answers a refusal, are not documented: the sandbox answers
 * 403 (Intacct's status for "insufficient permission") with an `ia::error` at the top level.
 */

/** The company's user the token was issued for, when its queries are limited by its roles. */
export function restrictedCaller(db: SimDb, claims: TokenClaims): UserRec | undefined {
  const user = db.table('user').first('id', claims.sub.toLowerCase());
  if (!user?.webServices.isRestricted || user.adminPrivileges !== 'off') return undefined;
  return user;
}

/** Keys of the roles a user has: its own, and those of the groups it is a member of. */
export function rolesOf(db: SimDb, user: UserRec): Set<string> {
  const roles = new Set<string>();
  for (const m of db.table('role-user-map').find('user', user.key)) roles.add(m.role);
  for (const member of db.table('user-group-member').find('user', user.key)) {
    for (const m of db.table('role-user-group-map').find('userGroup', member.userGroup)) roles.add(m.role);
  }
  return roles;
}

/** Whether the user's roles grant `right` (an Intacct access right, e.g. `list`) on one of these permissions (`<module>/<name>`). */
export function granted(db: SimDb, user: UserRec, permissions: readonly string[], right: string): boolean {
  const keys = new Set(permissions.map((n) => db.table('permission').first('name', n)?.key));
  for (const role of rolesOf(db, user)) {
    for (const p of db.table('role-permission-assignment').find('role', role)) {
      if (keys.has(p.permission) && p.accessRights.includes(right)) return true;
    }
  }
  return false;
}

/** The permissions (`<module>/<name>`) whose `list` lets a user query `object`. */
export function guardsOf(object: string): string[] {
  return [...QUERY_OBJECTS].filter(([, objects]) => objects.includes(object)).map(([name]) => name);
}

/** Refuse a query of `object` by a restricted caller whose roles do not grant `list` on it. */
export function checkQueryPermission(db: SimDb, claims: TokenClaims, object: string): void {
  const user = restrictedCaller(db, claims);
  if (!user) return;
  const queried = object.includes('/') ? object : `company-config/${object}`;
  const guards = guardsOf(queried);
  if (granted(db, user, guards, 'list')) return;
  const which = guards.length > 0 ? guards.join(' or ') : 'no permission this sandbox knows';
  throw new SimError(
    403,
    'permissionDenied',
    `User ${user.id} does not have permission to list ${queried}: none of its roles grants List on ${which}`,
    { shape: 'top' },
  );
}
