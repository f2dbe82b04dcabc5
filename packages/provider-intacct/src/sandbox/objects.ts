import { ACCESS_RIGHTS } from '../permission-data/access-rights.js';
import { badRequest, conflict, notFound, refused, type SimErrorDetail } from './errors.js';
import { hrefOf } from './model.js';
import type {
  Audit,
  ContactRec,
  GroupRec,
  MemberRec,
  PermissionRec,
  RolePermRec,
  RoleRec,
  TableName,
  TableRecords,
  UserRec,
} from './records.js';
import type { SimDb, SimTx } from './store.js';

/** Who is making the change (from the bearer token), for `audit.*ByUser`. */
export interface Actor {
  id: string;
  key?: string;
}

export interface WriteContext {
  actor: Actor;
  /** ISO timestamp without milliseconds, as Intacct writes `*DateTime`. */
  now: string;
}

export const USER_TYPES = [
  'business',
  'employee',
  'viewOnly',
  'dashboard',
  'projectManager',
  'paymentApprover',
  'client',
  'platform',
  'crm',
  'warehouse',
  'constructionManager',
] as const;
export const ADMIN_PRIVILEGES = ['off', 'limited', 'full'] as const;
export const USER_STATUSES = ['active', 'inactive', 'lockedOut'] as const;
export const SYSTEM_ROLE_PREFIX = '::SYS::';
const ROLE_TYPES = ['enterprise', 'eConsole', 'multiEntityDistributed', 'multiEntityShared'] as const;
const APPLY_TO = ['loginAndSlideIn', 'loginOnly', 'slideInOnly'] as const;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type Body = Record<string, unknown>;

export function auditNew(ctx: WriteContext): Audit {
  const by = auditUser(ctx.actor);
  return {
    createdDateTime: ctx.now,
    modifiedDateTime: ctx.now,
    ...(ctx.actor.key ? { createdBy: ctx.actor.key, modifiedBy: ctx.actor.key } : {}),
    createdByUser: by,
    modifiedByUser: by,
  };
}

function auditTouch(prev: Audit, ctx: WriteContext): Audit {
  return {
    ...prev,
    modifiedDateTime: ctx.now,
    ...(ctx.actor.key ? { modifiedBy: ctx.actor.key } : {}),
    modifiedByUser: auditUser(ctx.actor),
  };
}

function auditUser(actor: Actor): Audit['createdByUser'] {
  return actor.key ? { key: actor.key, id: actor.id, href: hrefOf('user', actor.key) } : { id: actor.id };
}

// ---------------------------------------------------------------------------------------------
// Request body checks: each throws a 400 naming the field, the way Intacct's payload errors do.

function asBody(v: unknown, target = ''): Body {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw badRequest('The request body must be a JSON object', target || '/');
  return v as Body;
}

/** Refuse fields the object does not have; read-only fields are ignored, as the API does. */
function onlyFields(body: Body, writable: readonly string[], readOnly: readonly string[] = []): void {
  const details: SimErrorDetail[] = [];
  for (const k of Object.keys(body)) {
    if (writable.includes(k) || readOnly.includes(k) || k === 'key' || k === 'href' || k === 'audit')
      continue;
    details.push({ code: 'invalidRequest', message: `/${k} is not a valid field`, target: `/${k}` });
  }
  if (details.length > 0) throw badRequest('Payload contains errors', undefined, details);
}

function optString(body: Body, field: string, target = `/${field}`): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field} must be a string`, target);
  return v;
}

function reqString(body: Body, field: string, target = `/${field}`, what = field): string {
  const v = optString(body, field, target);
  if (v === undefined || v.trim() === '') throw badRequest(`${what} is required`, target);
  return v;
}

function optEnum<T extends string>(
  body: Body,
  field: string,
  values: readonly T[],
  target = `/${field}`,
): T | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw badRequest(`${field} must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`, target);
  }
  return v as T;
}

function optBool(body: Body, field: string, target: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${field} must be true or false`, target);
  return v;
}

function optObject(body: Body, field: string): Body | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  return asBody(v, `/${field}`);
}

function checkEmail(email: string, target: string): void {
  if (!EMAIL.test(email)) throw badRequest(`${email} is not a valid e-mail address`, target);
}

const sameEmail = (a: string | undefined, b: string | undefined) =>
  (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/** A reference in a request: `{key}` or `{id}` (or a bare id string), resolved to the target's key. */
function resolveRef(db: SimDb, table: TableName, value: unknown, target: string, what: string): string {
  let key: string | undefined;
  let id: string | undefined;
  if (typeof value === 'string') id = value;
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Body;
    if (typeof v.key === 'string' || typeof v.key === 'number') key = String(v.key);
    else if (typeof v.id === 'string') id = v.id;
  }
  if (key === undefined && id === undefined)
    throw badRequest(`${what} must be a reference with key or id`, target);
  if (key !== undefined) {
    if (!db.table(table).get(key)) throw refused(`${what} with key ${key} does not exist`, target);
    return key;
  }
  const found = db.table(table).first('id', id!.toLowerCase());
  if (!found) throw refused(`${what} ${id} does not exist`, target);
  return found.key;
}

function refList(db: SimDb, table: TableName, value: unknown, target: string, what: string): string[] {
  if (!Array.isArray(value)) throw badRequest(`${target.slice(1)} must be an array`, target);
  const keys = value.map((v, i) => resolveRef(db, table, v, `${target}/${i}`, what));
  return [...new Set(keys)];
}

// ---------------------------------------------------------------------------------------------
// company-config/contact

const CONTACT_FIELDS = ['id', 'printAs', 'firstName', 'lastName', 'email1', 'email2', 'status'] as const;

function contactFromBody(
  body: Body,
  base = '',
): Omit<ContactRec, 'key' | 'audit' | 'id' | 'printAs' | 'status'> {
  const email1 = optString(body, 'email1', `${base}/email1`);
  if (email1) checkEmail(email1, `${base}/email1`);
  const email2 = optString(body, 'email2', `${base}/email2`);
  if (email2) checkEmail(email2, `${base}/email2`);
  const firstName = optString(body, 'firstName', `${base}/firstName`);
  const lastName = optString(body, 'lastName', `${base}/lastName`);
  return {
    ...(firstName !== undefined ? { firstName } : {}),
    ...(lastName !== undefined ? { lastName } : {}),
    ...(email1 !== undefined ? { email1 } : {}),
    ...(email2 !== undefined ? { email2 } : {}),
  };
}

function newContact(tx: SimTx, body: Body, ctx: WriteContext, base = ''): ContactRec {
  const id = reqString(body, 'id', `${base}/id`, 'contact id');
  if (tx.table('contact').first('id', id.toLowerCase())) {
    throw conflict(`A contact with ID ${id} already exists; link it by key or id instead`, `${base}/id`);
  }
  const fields = contactFromBody(body, base);
  const printAs =
    optString(body, 'printAs', `${base}/printAs`) ??
    ([fields.firstName, fields.lastName].filter(Boolean).join(' ') || id);
  const rec: ContactRec = {
    key: tx.newKey('contact'),
    id,
    printAs,
    ...fields,
    status: optEnum(body, 'status', ['active', 'inactive'], `${base}/status`) ?? 'active',
    audit: auditNew(ctx),
  };
  tx.put('contact', rec);
  return rec;
}

export function createContact(tx: SimTx, raw: unknown, ctx: WriteContext): ContactRec {
  const body = asBody(raw);
  onlyFields(body, CONTACT_FIELDS);
  return newContact(tx, body, ctx);
}

export function patchContact(tx: SimTx, rec: ContactRec, raw: unknown, ctx: WriteContext): ContactRec {
  const body = asBody(raw);
  onlyFields(body, CONTACT_FIELDS);
  const id = optString(body, 'id');
  if (id !== undefined && id !== rec.id) throw refused('The contact ID cannot be changed', '/id');
  const next: ContactRec = {
    ...rec,
    ...contactFromBody(body),
    ...(body.printAs !== undefined ? { printAs: reqString(body, 'printAs') } : {}),
    ...(body.status !== undefined ? { status: optEnum(body, 'status', ['active', 'inactive'])! } : {}),
    audit: auditTouch(rec.audit, ctx),
  };
  tx.put('contact', next);
  return next;
}

export function deleteContact(tx: SimTx, rec: ContactRec): void {
  const user = tx.table('user').first('contact', rec.key);
  if (user) throw refused(`Contact ${rec.id} is linked to user ${user.id} and cannot be deleted`);
  tx.del('contact', rec.key);
}

// ---------------------------------------------------------------------------------------------
// company-config/user

const USER_FIELDS = [
  'id',
  'userName',
  'accountEmail',
  'userType',
  'adminPrivileges',
  'status',
  'webServices',
  'password',
  'sso',
  'entityAccess',
  'trustedDevices',
  'isChatterDisabled',
  'hideOtherDepartmentTransactions',
  'contact',
  'roles',
] as const;

/**
 * The contact of a new user: link an existing one (`key`, or `id` alone) or create one inline
 * (`id` plus names). A user needs a contact with a first and a last name, and a contact belongs to
 * one user only.
 */
function contactForUser(tx: SimTx, value: unknown, ctx: WriteContext, userKey?: string): ContactRec {
  const body = asBody(value, '/contact');
  const linkOnly = Object.keys(body).every((k) => k === 'key' || k === 'id' || k === 'href');
  let contact: ContactRec;
  if (body.key !== undefined || linkOnly) {
    contact = tx.table('contact').get(resolveRef(tx, 'contact', body, '/contact', 'Contact'))!;
  } else {
    onlyFields(body, CONTACT_FIELDS);
    contact = newContact(tx, body, ctx, '/contact');
  }
  if (!contact.firstName || !contact.lastName) {
    throw refused(`Contact ${contact.id} needs a first and a last name to be linked to a user`, '/contact');
  }
  const other = tx.table('user').first('contact', contact.key);
  if (other && other.key !== userKey) {
    throw refused(`Contact ${contact.id} is already linked to user ${other.id}`, '/contact');
  }
  return contact;
}

function userSubObjects(body: Body, prev?: UserRec) {
  const ws = optObject(body, 'webServices');
  const pw = optObject(body, 'password');
  const sso = optObject(body, 'sso');
  const ea = optObject(body, 'entityAccess');
  if (ws) onlyFields(ws, ['isRestricted'], ['isEnabled']);
  if (pw) onlyFields(pw, ['neverExpires', 'requiresReset', 'disablePassword']);
  if (sso) onlyFields(sso, ['isSSOEnabled', 'federatedSSOId']);
  if (ea) onlyFields(ea, ['allowUnrestrictedAccess', 'allowTopLevelAccess']);
  const isRestricted =
    (ws && optBool(ws, 'isRestricted', '/webServices/isRestricted')) ??
    prev?.webServices.isRestricted ??
    false;
  const federatedSSOId =
    (sso && optString(sso, 'federatedSSOId', '/sso/federatedSSOId')) ?? prev?.sso.federatedSSOId;
  return {
    // isEnabled is read-only: the system sets it.
    webServices: { isEnabled: true, isRestricted },
    password: {
      neverExpires:
        (pw && optBool(pw, 'neverExpires', '/password/neverExpires')) ?? prev?.password.neverExpires ?? false,
      requiresReset:
        (pw && optBool(pw, 'requiresReset', '/password/requiresReset')) ??
        prev?.password.requiresReset ??
        false,
      disablePassword:
        (pw && optBool(pw, 'disablePassword', '/password/disablePassword')) ??
        prev?.password.disablePassword ??
        false,
    },
    sso: {
      isSSOEnabled:
        (sso && optBool(sso, 'isSSOEnabled', '/sso/isSSOEnabled')) ?? prev?.sso.isSSOEnabled ?? false,
      ...(federatedSSOId !== undefined ? { federatedSSOId } : {}),
    },
    entityAccess: {
      allowUnrestrictedAccess:
        (ea && optBool(ea, 'allowUnrestrictedAccess', '/entityAccess/allowUnrestrictedAccess')) ??
        prev?.entityAccess.allowUnrestrictedAccess ??
        true,
      allowTopLevelAccess:
        (ea && optBool(ea, 'allowTopLevelAccess', '/entityAccess/allowTopLevelAccess')) ??
        prev?.entityAccess.allowTopLevelAccess ??
        false,
    },
  };
}

/** The rules that hold for a user whatever the operation (checked on the result of a change). */
function checkUser(u: UserRec): void {
  if (u.adminPrivileges !== 'off' && u.userType !== 'business') {
    throw refused(
      `Admin privileges (${u.adminPrivileges}) can be given only to business users; user ${u.id} is of type ${u.userType}`,
      '/adminPrivileges',
    );
  }
  if (u.password.neverExpires && !u.webServices.isRestricted) {
    throw refused('password.neverExpires is only allowed for web services users', '/password/neverExpires');
  }
  if (u.sso.isSSOEnabled && u.webServices.isRestricted) {
    throw refused('Web services users cannot use single sign-on', '/sso/isSSOEnabled');
  }
}

function setUserRoles(tx: SimTx, user: UserRec, roleKeys: readonly string[], ctx: WriteContext): void {
  // Saving roles[] replaces the set: every role-user-map of the user is deleted and made again.
  for (const m of tx.table('role-user-map').find('user', user.key)) tx.del('role-user-map', m.key);
  for (const role of roleKeys) {
    tx.put('role-user-map', { key: tx.newKey('role-user-map'), role, user: user.key, audit: auditNew(ctx) });
  }
}

export function createUser(tx: SimTx, raw: unknown, ctx: WriteContext): UserRec {
  const body = asBody(raw);
  onlyFields(body, USER_FIELDS);
  const id = reqString(body, 'id', '/id', 'id');
  if (/[@|]/.test(id)) throw badRequest(`User ID ${id} cannot contain @ or |`, '/id');
  const existing = tx.table('user').first('id', id.toLowerCase());
  if (existing) {
    throw conflict(
      existing.webServices.isRestricted
        ? `A user with ID ${existing.id} already exists; user IDs are unique`
        : `ID ${existing.id} belongs to a standard user; a web services user cannot reuse the ID of an existing user`,
      '/id',
    );
  }
  const accountEmail = reqString(body, 'accountEmail', '/accountEmail', 'accountEmail');
  checkEmail(accountEmail, '/accountEmail');
  const status = optEnum(body, 'status', USER_STATUSES) ?? 'active';
  if (status === 'inactive') {
    throw refused(
      'A new user can only be created with status active or lockedOut; make it inactive with a later update',
      '/status',
    );
  }
  if (body.contact === undefined || body.contact === null)
    throw badRequest('contact is required', '/contact');
  const roleKeys = body.roles === undefined ? [] : refList(tx, 'role', body.roles, '/roles', 'Role');
  const key = tx.newKey('user');
  const contact = contactForUser(tx, body.contact, ctx, key);
  const userName = optString(body, 'userName');
  const user: UserRec = {
    key,
    id,
    ...(userName !== undefined ? { userName } : {}),
    accountEmail,
    userType: optEnum(body, 'userType', USER_TYPES) ?? 'business',
    adminPrivileges: optEnum(body, 'adminPrivileges', ADMIN_PRIVILEGES) ?? 'off',
    status,
    ...userSubObjects(body),
    trustedDevices:
      optEnum(body, 'trustedDevices', ['companyDefault', 'always', 'never']) ?? 'companyDefault',
    isChatterDisabled: optBool(body, 'isChatterDisabled', '/isChatterDisabled') ?? false,
    hideOtherDepartmentTransactions:
      optBool(body, 'hideOtherDepartmentTransactions', '/hideOtherDepartmentTransactions') ?? false,
    contact: contact.key,
    audit: auditNew(ctx),
    everActivated: false,
  };
  checkUser(user);
  tx.put('user', user);
  setUserRoles(tx, user, roleKeys, ctx);
  return user;
}

export function patchUser(tx: SimTx, rec: UserRec, raw: unknown, ctx: WriteContext): UserRec {
  const body = asBody(raw);
  onlyFields(body, USER_FIELDS);
  const id = optString(body, 'id');
  if (id !== undefined && id !== rec.id) {
    throw refused(`The user ID cannot be changed after the user is created (${rec.id} → ${id})`, '/id');
  }
  let contactKey = rec.contact;
  if (body.contact !== undefined) {
    const c = asBody(body.contact, '/contact');
    if (!Object.keys(c).every((k) => k === 'key' || k === 'id' || k === 'href')) {
      throw badRequest(
        "Change the contact's fields through company-config/contact; here give only its key or id",
        '/contact',
      );
    }
    contactKey = contactForUser(tx, c, ctx, rec.key).key;
  }
  const accountEmail = optString(body, 'accountEmail');
  if (accountEmail !== undefined) {
    checkEmail(accountEmail, '/accountEmail');
    const contact = tx.table('contact').get(contactKey);
    if (!sameEmail(accountEmail, rec.accountEmail) && contact && !sameEmail(accountEmail, contact.email1)) {
      throw refused(
        `The account e-mail must match the primary e-mail of the user's contact ${contact.id} (${contact.email1 ?? 'none'}); update the contact's primary e-mail first`,
        '/accountEmail',
      );
    }
  }
  const userName = optString(body, 'userName');
  const next: UserRec = {
    ...rec,
    ...(userName !== undefined ? { userName } : {}),
    ...(accountEmail !== undefined ? { accountEmail } : {}),
    userType: optEnum(body, 'userType', USER_TYPES) ?? rec.userType,
    adminPrivileges: optEnum(body, 'adminPrivileges', ADMIN_PRIVILEGES) ?? rec.adminPrivileges,
    status: optEnum(body, 'status', USER_STATUSES) ?? rec.status,
    ...userSubObjects(body, rec),
    trustedDevices:
      optEnum(body, 'trustedDevices', ['companyDefault', 'always', 'never']) ?? rec.trustedDevices,
    isChatterDisabled: optBool(body, 'isChatterDisabled', '/isChatterDisabled') ?? rec.isChatterDisabled,
    hideOtherDepartmentTransactions:
      optBool(body, 'hideOtherDepartmentTransactions', '/hideOtherDepartmentTransactions') ??
      rec.hideOtherDepartmentTransactions,
    contact: contactKey,
    audit: auditTouch(rec.audit, ctx),
  };
  checkUser(next);
  tx.put('user', next);
  if (body.roles !== undefined)
    setUserRoles(tx, next, refList(tx, 'role', body.roles, '/roles', 'Role'), ctx);
  return next;
}

export function deleteUser(tx: SimTx, rec: UserRec, ctx: WriteContext): void {
  if (rec.everActivated) {
    throw refused(
      `User ${rec.id} has been activated (someone signed in with this ID), so it cannot be deleted: Intacct keeps used IDs for the audit trail. Set its status to inactive instead`,
    );
  }
  if (ctx.actor.key === rec.key) throw refused('You cannot delete the user you are signed in as');
  // Owned records go with the user; the contact stays (it is a shared address book entry).
  for (const m of tx.table('role-user-map').find('user', rec.key)) tx.del('role-user-map', m.key);
  for (const m of tx.table('user-group-member').find('user', rec.key)) tx.del('user-group-member', m.key);
  tx.del('user', rec.key);
}

/** Someone signed in as this user: from now on it cannot be deleted. */
export function markActivated(tx: SimTx, user: UserRec): void {
  if (!user.everActivated) tx.put('user', { ...user, everActivated: true });
}

// ---------------------------------------------------------------------------------------------
// company-config/role and role-permission-assignment

/** Access rights of an assignment: a non-empty list of `permission-access-rights` values. */
function accessRights(value: unknown, target: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw badRequest('accessRights must be a non-empty array', target);
  for (const [i, r] of value.entries()) {
    if (typeof r !== 'string' || !(ACCESS_RIGHTS as readonly string[]).includes(r)) {
      throw badRequest(`${JSON.stringify(r)} is not a valid access right`, `${target}/${i}`);
    }
  }
  return [...new Set(value as string[])];
}

/** Rights the permission itself allows (`allowedAccessRights`); any other is refused. */
function allowedRights(permission: PermissionRec, rights: string[], target: string): string[] {
  for (const [i, r] of rights.entries()) {
    if (!permission.allowedAccessRights.includes(r))
      throw refused(
        `Permission ${permission.module}/${permission.name} (key ${permission.key}) does not allow the access right ${r}; it allows ${permission.allowedAccessRights.join(', ')}`,
        `${target}/${i}`,
      );
  }
  return rights;
}

/**
 * `rolePermissionAssignments[]`: each `{permission: {key}, accessRights}`, the permission by the
 * key of a `company-config/permission` (its `id` is the same value). An unknown key is refused
 * like any unknown reference (422, the target named).
 */
function permissionAssignments(
  db: SimDb,
  value: unknown,
): Array<{ permission: string; accessRights: string[] }> {
  if (!Array.isArray(value))
    throw badRequest('rolePermissionAssignments must be an array', '/rolePermissionAssignments');
  const seen = new Set<string>();
  return value.map((item, i) => {
    const t = `/rolePermissionAssignments/${i}`;
    const a = asBody(item, t);
    onlyFields(a, ['permission', 'accessRights']);
    const p = asBody(a.permission, `${t}/permission`);
    onlyFields(p, ['key', 'id'], ['module', 'name', 'href']);
    const key = typeof p.key === 'string' ? p.key : typeof p.id === 'string' ? p.id : undefined;
    if (!key) throw badRequest('permission must be a reference with key', `${t}/permission`);
    const permission = db.table('permission').get(key);
    if (!permission) throw refused(`Permission with key ${key} does not exist`, `${t}/permission/key`);
    if (seen.has(key)) throw badRequest(`permission ${key} is given twice`, `${t}/permission/key`);
    seen.add(key);
    return {
      permission: key,
      accessRights: allowedRights(
        permission,
        accessRights(a.accessRights, `${t}/accessRights`),
        `${t}/accessRights`,
      ),
    };
  });
}

function setRolePermissions(
  tx: SimTx,
  role: RoleRec,
  items: ReadonlyArray<{ permission: string; accessRights: string[] }>,
  ctx: WriteContext,
): void {
  for (const p of tx.table('role-permission-assignment').find('role', role.key))
    tx.del('role-permission-assignment', p.key);
  for (const item of items) {
    tx.put('role-permission-assignment', {
      key: tx.newKey('role-permission-assignment'),
      role: role.key,
      permission: item.permission,
      accessRights: item.accessRights,
      audit: auditNew(ctx),
    });
  }
}

const ROLE_FIELDS = ['id', 'description', 'roleType', 'applyTo', 'rolePermissionAssignments'] as const;
const ROLE_READ_ONLY = [
  'roleUsers',
  'roleGroups',
  'customRolePermissionAssignments',
  'agentRolePermissionAssignments',
];

export function createRole(tx: SimTx, raw: unknown, ctx: WriteContext): RoleRec {
  const body = asBody(raw);
  onlyFields(body, ROLE_FIELDS, ROLE_READ_ONLY);
  const id = reqString(body, 'id');
  if (id.startsWith(SYSTEM_ROLE_PREFIX))
    throw refused(`Role IDs starting with ${SYSTEM_ROLE_PREFIX} are reserved for system roles`, '/id');
  if (tx.table('role').first('id', id.toLowerCase()))
    throw conflict(`A role with ID ${id} already exists`, '/id');
  const perms =
    body.rolePermissionAssignments === undefined
      ? []
      : permissionAssignments(tx, body.rolePermissionAssignments);
  const description = optString(body, 'description');
  const role: RoleRec = {
    key: tx.newKey('role'),
    id,
    ...(description !== undefined ? { description } : {}),
    roleType: optEnum(body, 'roleType', ROLE_TYPES) ?? 'enterprise',
    applyTo: optEnum(body, 'applyTo', APPLY_TO) ?? 'loginAndSlideIn',
    audit: auditNew(ctx),
  };
  tx.put('role', role);
  setRolePermissions(tx, role, perms, ctx);
  return role;
}

export function patchRole(tx: SimTx, rec: RoleRec, raw: unknown, ctx: WriteContext): RoleRec {
  const body = asBody(raw);
  onlyFields(body, ROLE_FIELDS, ROLE_READ_ONLY);
  if (rec.id.startsWith(SYSTEM_ROLE_PREFIX)) throw refused(`System role ${rec.id} cannot be changed`);
  const id = optString(body, 'id');
  if (id !== undefined && id !== rec.id)
    throw refused(`The role ID cannot be changed (${rec.id} → ${id})`, '/id');
  const description = optString(body, 'description');
  const next: RoleRec = {
    ...rec,
    ...(description !== undefined ? { description } : {}),
    roleType: optEnum(body, 'roleType', ROLE_TYPES) ?? rec.roleType,
    applyTo: optEnum(body, 'applyTo', APPLY_TO) ?? rec.applyTo,
    audit: auditTouch(rec.audit, ctx),
  };
  tx.put('role', next);
  // Assignments are created and removed only through the role's array, which replaces the set.
  if (body.rolePermissionAssignments !== undefined) {
    setRolePermissions(tx, next, permissionAssignments(tx, body.rolePermissionAssignments), ctx);
  }
  return next;
}

export function deleteRole(tx: SimTx, rec: RoleRec): void {
  if (rec.id.startsWith(SYSTEM_ROLE_PREFIX)) throw refused(`System role ${rec.id} cannot be deleted`);
  for (const m of tx.table('role-user-map').find('role', rec.key)) tx.del('role-user-map', m.key);
  for (const m of tx.table('role-user-group-map').find('role', rec.key)) tx.del('role-user-group-map', m.key);
  for (const p of tx.table('role-permission-assignment').find('role', rec.key))
    tx.del('role-permission-assignment', p.key);
  tx.del('role', rec.key);
}

export function patchRolePermission(
  tx: SimTx,
  rec: RolePermRec,
  raw: unknown,
  ctx: WriteContext,
): RolePermRec {
  const body = asBody(raw);
  onlyFields(body, ['accessRights'], ['id', 'role', 'permission']);
  const next: RolePermRec = {
    ...rec,
    ...(body.accessRights !== undefined
      ? {
          accessRights: allowedRights(
            tx.table('permission').get(rec.permission)!,
            accessRights(body.accessRights, '/accessRights'),
            '/accessRights',
          ),
        }
      : {}),
    audit: auditTouch(rec.audit, ctx),
  };
  tx.put('role-permission-assignment', next);
  return next;
}

// ---------------------------------------------------------------------------------------------
// company-config/user-group and user-group-member

function setGroupRoles(tx: SimTx, group: GroupRec, roleKeys: readonly string[], ctx: WriteContext): void {
  for (const m of tx.table('role-user-group-map').find('userGroup', group.key))
    tx.del('role-user-group-map', m.key);
  for (const role of roleKeys) {
    tx.put('role-user-group-map', {
      key: tx.newKey('role-user-group-map'),
      role,
      userGroup: group.key,
      audit: auditNew(ctx),
    });
  }
}

export function createGroup(tx: SimTx, raw: unknown, ctx: WriteContext): GroupRec {
  const body = asBody(raw);
  onlyFields(body, ['id', 'description', 'roles']);
  const id = reqString(body, 'id');
  const description = reqString(body, 'description');
  if (tx.table('user-group').first('id', id.toLowerCase()))
    throw conflict(`A user group with ID ${id} already exists`, '/id');
  const roleKeys = body.roles === undefined ? [] : refList(tx, 'role', body.roles, '/roles', 'Role');
  const group: GroupRec = { key: tx.newKey('user-group'), id, description, audit: auditNew(ctx) };
  tx.put('user-group', group);
  setGroupRoles(tx, group, roleKeys, ctx);
  return group;
}

export function patchGroup(tx: SimTx, rec: GroupRec, raw: unknown, ctx: WriteContext): GroupRec {
  const body = asBody(raw);
  onlyFields(body, ['id', 'description', 'roles']);
  const id = optString(body, 'id');
  if (id !== undefined && id !== rec.id)
    throw refused(`The user group ID cannot be changed (${rec.id} → ${id})`, '/id');
  const next: GroupRec = {
    ...rec,
    ...(body.description !== undefined ? { description: reqString(body, 'description') } : {}),
    audit: auditTouch(rec.audit, ctx),
  };
  tx.put('user-group', next);
  if (body.roles !== undefined)
    setGroupRoles(tx, next, refList(tx, 'role', body.roles, '/roles', 'Role'), ctx);
  return next;
}

export function deleteGroup(tx: SimTx, rec: GroupRec): void {
  for (const m of tx.table('user-group-member').find('userGroup', rec.key))
    tx.del('user-group-member', m.key);
  for (const m of tx.table('role-user-group-map').find('userGroup', rec.key))
    tx.del('role-user-group-map', m.key);
  tx.del('user-group', rec.key);
}

export function createMember(tx: SimTx, raw: unknown, ctx: WriteContext): MemberRec {
  const body = asBody(raw);
  onlyFields(body, ['userGroup', 'user'], ['id']);
  if (body.userGroup === undefined) throw badRequest('userGroup is required', '/userGroup');
  if (body.user === undefined) throw badRequest('user is required', '/user');
  const group = resolveRef(tx, 'user-group', body.userGroup, '/userGroup', 'User group');
  const user = resolveRef(tx, 'user', body.user, '/user', 'User');
  if (tx.table('user-group-member').first('pair', `${user}|${group}`)) {
    const u = tx.table('user').get(user)!;
    const g = tx.table('user-group').get(group)!;
    throw conflict(`User ${u.id} is already a member of user group ${g.id}`);
  }
  const rec: MemberRec = {
    key: tx.newKey('user-group-member'),
    user,
    userGroup: group,
    audit: auditNew(ctx),
  };
  tx.put('user-group-member', rec);
  return rec;
}

// ---------------------------------------------------------------------------------------------

/** The write operations of each object that has them. */
export interface WriteHandlers<T extends TableName> {
  create?(tx: SimTx, body: unknown, ctx: WriteContext): TableRecords[T];
  patch?(tx: SimTx, rec: TableRecords[T], body: unknown, ctx: WriteContext): TableRecords[T];
  remove?(tx: SimTx, rec: TableRecords[T], ctx: WriteContext): void;
}

export const WRITERS: { [T in TableName]?: WriteHandlers<T> } = {
  user: { create: createUser, patch: patchUser, remove: deleteUser },
  contact: { create: createContact, patch: patchContact, remove: deleteContact },
  role: { create: createRole, patch: patchRole, remove: deleteRole },
  'role-permission-assignment': { patch: patchRolePermission },
  'user-group': { create: createGroup, patch: patchGroup, remove: deleteGroup },
  'user-group-member': { create: createMember, remove: (tx, rec) => tx.del('user-group-member', rec.key) },
};

/** 404 for a key that does not exist. */
export function mustGet<T extends TableName>(db: SimDb, table: T, key: string): TableRecords[T] {
  const rec = db.table(table).get(key);
  if (!rec) throw notFound(`${table} with key ${key} was not found`);
  return rec;
}
