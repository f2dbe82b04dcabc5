import { badRequest } from './errors.js';
import type { TableName } from './records.js';
import type { SimDb } from './store.js';

/** Which nested keys a plain-object field has (for validating dot paths such as `audit.modifiedByUser.id`). */
export type Shape = { readonly [k: string]: true | Shape };

/** How one field of an object is stored and shown. */
export type FieldDef =
  /** Stored as is at `record[name]`; `shape` lists the keys of a nested plain object. */
  | { t: 'value'; shape?: Shape }
  /** Computed from other data when read. */
  | { t: 'computed'; get(db: SimDb, rec: never): unknown; shape?: Shape }
  /** `record[name]` holds the key of a record of `target`; shown as `{key, id, href}` plus `expand`. */
  | { t: 'ref'; target: TableName; expand?: readonly string[] }
  /** A list of references computed from other tables (e.g. a user's roles from role-user-maps). */
  | { t: 'refs'; target: TableName; keys(db: SimDb, rec: never): string[] };

/** One REST object of the simulator. */
export interface ObjectDef {
  table: TableName;
  /** `company-config/<name>`. */
  object: string;
  methods: ReadonlySet<'GET' | 'POST' | 'PATCH' | 'DELETE'>;
  /** Fields in the order a GET shows them. */
  fields: Record<string, FieldDef>;
  /**
   * Dot paths an `$eq`/`$in` filter can answer from an index instead of a scan, mapped to the
   * index name (`key` is the primary key). Values of `id` indexes are lower-cased.
   */
  indexed: Record<string, string>;
}

type AnyRec = { key: string } & Record<string, unknown>;

const AUDIT_SHAPE: Shape = {
  createdDateTime: true,
  modifiedDateTime: true,
  createdBy: true,
  modifiedBy: true,
  createdByUser: { key: true, id: true, href: true },
  modifiedByUser: { key: true, id: true, href: true },
};

const REF_SHAPE: Shape = { key: true, id: true, href: true };
const keyField: FieldDef = { t: 'value' };
const idIsKey: FieldDef = { t: 'computed', get: (_db, rec: AnyRec) => rec.key };
const audit: FieldDef = { t: 'value', shape: AUDIT_SHAPE };
const href = (table: TableName): FieldDef => ({
  t: 'computed',
  get: (_db, rec: AnyRec) => hrefOf(table, rec.key),
});
const methods = (...m: Array<'GET' | 'POST' | 'PATCH' | 'DELETE'>) => new Set(m);

/** The roles of a user or a user group: those of the maps of `table` whose `by` is the record. */
const rolesVia = (table: 'role-user-map' | 'role-user-group-map', by: 'user' | 'userGroup'): FieldDef => ({
  t: 'refs',
  target: 'role',
  keys: (db, rec: AnyRec) =>
    db
      .table(table)
      .find(by, rec.key)
      .map((m) => m.role),
});

/**
 * A role's owned objects of `table` (those whose `role` is the role), each as the vendor shows
 * it inside the role: `{key, id, role, ...fields, audit, href}`.
 */
const ownedByRole = (
  table: 'role-permission-assignment' | 'role-user-map' | 'role-user-group-map',
  shape: Shape,
  fields: (db: SimDb, rec: AnyRec) => Record<string, unknown>,
): FieldDef => ({
  t: 'computed',
  shape: { key: true, id: true, role: REF_SHAPE, ...shape, href: true },
  get: (db, rec: AnyRec) =>
    db
      .table(table)
      .find('role', rec.key)
      .map((m) => ({
        key: m.key,
        id: m.key,
        role: refView(db, 'role', m.role),
        ...fields(db, m as unknown as AnyRec),
        audit: m.audit,
        href: hrefOf(table, m.key),
      })),
});

/**
 * The object served as `company-config/<table>` from `table`: `fields` in the order a GET shows
 * them, between the `key` every object starts with and the `href` it ends with.
 */
function objectOf(
  table: Exclude<TableName, 'idempotency'>,
  methods: ObjectDef['methods'],
  indexed: ObjectDef['indexed'],
  fields: ObjectDef['fields'],
): ObjectDef {
  return {
    table,
    object: `company-config/${table}`,
    methods,
    indexed,
    fields: { key: keyField, ...fields, href: href(table) },
  };
}

export function hrefOf(table: TableName, key: string): string {
  return `/objects/company-config/${table}/${key}`;
}

/** Every object the simulator serves, by table name. */
export const OBJECTS: Record<Exclude<TableName, 'idempotency'>, ObjectDef> = {
  user: objectOf(
    'user',
    methods('GET', 'POST', 'PATCH', 'DELETE'),
    { key: 'key', id: 'id', 'contact.key': 'contact' },
    {
      id: { t: 'value' },
      userName: { t: 'value' },
      accountEmail: { t: 'value' },
      userType: { t: 'value' },
      adminPrivileges: { t: 'value' },
      status: { t: 'value' },
      webServices: { t: 'value', shape: { isEnabled: true, isRestricted: true } },
      password: { t: 'value', shape: { neverExpires: true, requiresReset: true, disablePassword: true } },
      sso: { t: 'value', shape: { isSSOEnabled: true, federatedSSOId: true } },
      entityAccess: { t: 'value', shape: { allowUnrestrictedAccess: true, allowTopLevelAccess: true } },
      trustedDevices: { t: 'value' },
      isChatterDisabled: { t: 'value' },
      hideOtherDepartmentTransactions: { t: 'value' },
      contact: { t: 'ref', target: 'contact', expand: ['firstName', 'lastName', 'printAs', 'email1'] },
      roles: rolesVia('role-user-map', 'user'),
      audit,
    },
  ),
  contact: objectOf(
    'contact',
    methods('GET', 'POST', 'PATCH', 'DELETE'),
    { key: 'key', id: 'id' },
    {
      id: { t: 'value' },
      printAs: { t: 'value' },
      firstName: { t: 'value' },
      lastName: { t: 'value' },
      email1: { t: 'value' },
      email2: { t: 'value' },
      status: { t: 'value' },
      audit,
    },
  ),
  role: objectOf(
    'role',
    methods('GET', 'POST', 'PATCH', 'DELETE'),
    { key: 'key', id: 'id' },
    {
      id: { t: 'value' },
      description: { t: 'value' },
      roleType: { t: 'value' },
      applyTo: { t: 'value' },
      rolePermissionAssignments: ownedByRole(
        'role-permission-assignment',
        { permission: { key: true, id: true, module: true, name: true, href: true }, accessRights: true },
        (db, p) => ({
          permission: refView(db, 'permission', p.permission as string, ['module', 'name']),
          accessRights: p.accessRights,
        }),
      ),
      // Owned objects, as the vendor shows them: the role-user-maps and role-user-group-maps
      // themselves (`{key, id, role, user|userGroup, audit, href}`), not bare user or group references.
      roleUsers: ownedByRole('role-user-map', { user: REF_SHAPE }, (db, m) => ({
        user: refView(db, 'user', m.user as string),
      })),
      roleGroups: ownedByRole('role-user-group-map', { userGroup: REF_SHAPE }, (db, m) => ({
        userGroup: refView(db, 'user-group', m.userGroup as string),
      })),
      audit,
    },
  ),
  permission: objectOf(
    'permission',
    methods('GET'),
    { key: 'key' },
    {
      id: idIsKey,
      module: { t: 'value' },
      name: { t: 'value' },
      allowedAccessRights: { t: 'value' },
    },
  ),
  'role-permission-assignment': objectOf(
    'role-permission-assignment',
    methods('GET', 'PATCH'),
    { key: 'key', 'role.key': 'role', 'permission.key': 'permission' },
    {
      id: idIsKey,
      role: { t: 'ref', target: 'role' },
      permission: { t: 'ref', target: 'permission', expand: ['module', 'name'] },
      accessRights: { t: 'value' },
      audit,
    },
  ),
  'role-user-map': objectOf(
    'role-user-map',
    methods('GET'),
    { key: 'key', 'user.key': 'user', 'role.key': 'role' },
    {
      id: idIsKey,
      role: { t: 'ref', target: 'role' },
      user: { t: 'ref', target: 'user', expand: ['userName'] },
      audit,
    },
  ),
  'user-group': objectOf(
    'user-group',
    methods('GET', 'POST', 'PATCH', 'DELETE'),
    { key: 'key', id: 'id' },
    {
      id: { t: 'value' },
      description: { t: 'value' },
      roles: rolesVia('role-user-group-map', 'userGroup'),
      audit,
    },
  ),
  'role-user-group-map': objectOf(
    'role-user-group-map',
    methods('GET'),
    { key: 'key', 'userGroup.key': 'userGroup', 'role.key': 'role' },
    {
      id: idIsKey,
      role: { t: 'ref', target: 'role' },
      userGroup: { t: 'ref', target: 'user-group' },
      audit,
    },
  ),
  'user-group-member': objectOf(
    'user-group-member',
    methods('GET', 'POST', 'DELETE'),
    { key: 'key', 'user.key': 'user', 'userGroup.key': 'userGroup' },
    {
      id: idIsKey,
      userGroup: { t: 'ref', target: 'user-group' },
      user: { t: 'ref', target: 'user', expand: ['userName'] },
      audit,
    },
  ),
};

/** The object definition for `company-config/<name>` (or a bare `<name>`). */
export function objectByName(name: string): ObjectDef | undefined {
  const bare = name.startsWith('company-config/') ? name.slice('company-config/'.length) : name;
  return (OBJECTS as Record<string, ObjectDef>)[bare];
}

/** `{key, id, href}` (plus expanded fields) of a referenced record. */
export function refView(
  db: SimDb,
  target: TableName,
  key: string,
  expand?: readonly string[],
): Record<string, unknown> {
  const rec = db.table(target).get(key) as AnyRec | undefined;
  const out: Record<string, unknown> = { key };
  if (rec) {
    out.id = typeof rec.id === 'string' ? rec.id : rec.key;
    for (const f of expand ?? []) if (rec[f] !== undefined) out[f] = rec[f];
  }
  out.href = hrefOf(target, key);
  return out;
}

/** The object as `GET /objects/company-config/<object>/<key>` shows it. */
export function view(db: SimDb, def: ObjectDef, rec: { key: string }): Record<string, unknown> {
  const r = rec as AnyRec;
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    let v: unknown;
    if (f.t === 'value') v = r[name];
    else if (f.t === 'computed') v = f.get(db, r as never);
    else if (f.t === 'ref')
      v = typeof r[name] === 'string' ? refView(db, f.target, r[name], f.expand) : undefined;
    else v = f.keys(db, r as never).map((k) => refView(db, f.target, k));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Reads one (possibly dotted) field of a record. */
export type Getter = (db: SimDb, rec: { key: string }) => unknown;

/** Follow plain nested keys; lists are mapped (a path through a list gives a list). */
function dig(value: unknown, path: readonly string[], from = 0): unknown {
  let v = value;
  for (let i = from; i < path.length; i++) {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map((item) => dig(item, path, i));
    if (typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[path[i]!];
  }
  return v ?? null;
}

function checkShape(shape: Shape | undefined, rest: readonly string[], full: string): void {
  let s: Shape | true | undefined = shape;
  for (const seg of rest) {
    if (s === undefined || s === true || !(seg in s)) throw invalidField(full);
    s = s[seg];
  }
}

export function invalidField(full: string) {
  return badRequest(`${full} is not a valid field`, `/${full.replaceAll('.', '/')}`);
}

/**
 * Compile a dot path (`contact.email1`, `roles.id`, `audit.modifiedByUser.id`) into a getter, or
 * throw a 400 naming the field. References are followed into the target object.
 */
export function compilePath(def: ObjectDef, path: string, full = path): Getter {
  const segs = path.split('.');
  const head = segs[0]!;
  const rest = segs.slice(1);
  const f = def.fields[head];
  if (!f || !head) throw invalidField(full);
  switch (f.t) {
    case 'value':
      if (rest.length === 0) return (_db, rec) => (rec as AnyRec)[head] ?? null;
      checkShape(f.shape, rest, full);
      return (_db, rec) => dig((rec as AnyRec)[head], rest);
    case 'computed':
      if (rest.length === 0) return (db, rec) => f.get(db, rec as never) ?? null;
      checkShape(f.shape, rest, full);
      return (db, rec) => dig(f.get(db, rec as never), rest);
    case 'ref': {
      const target = OBJECTS[f.target as keyof typeof OBJECTS];
      if (rest.length === 0) {
        return (db, rec) => {
          const k = (rec as AnyRec)[head];
          return typeof k === 'string' ? refView(db, f.target, k, f.expand) : null;
        };
      }
      const sub = compilePath(target, rest.join('.'), full);
      return (db, rec) => {
        const k = (rec as AnyRec)[head];
        const t = typeof k === 'string' ? db.table(f.target).get(k) : undefined;
        return t ? sub(db, t) : null;
      };
    }
    case 'refs': {
      const target = OBJECTS[f.target as keyof typeof OBJECTS];
      if (rest.length === 0)
        return (db, rec) => f.keys(db, rec as never).map((k) => refView(db, f.target, k));
      const sub = compilePath(target, rest.join('.'), full);
      return (db, rec) =>
        f.keys(db, rec as never).map((k) => {
          const t = db.table(f.target).get(k);
          return t ? sub(db, t) : null;
        });
    }
  }
}
