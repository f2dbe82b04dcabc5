import { randomBytes, randomInt } from 'node:crypto';
import { PERMISSION_KEY_PATTERN, PERMISSION_RIGHTS, PERMISSION_SCOPES } from '../facts.js';
import { hashSecret, newTrackingIdentifier } from './auth.js';
import { badInput, notFound } from './errors.js';
import type { ResourceRec, SecurityLevelRec, VendorRec } from './records.js';
import {
  checkValue,
  fieldNamed,
  LICENSE_API_USER,
  LICENSE_FULL,
  USER_TYPE_API,
  USER_TYPE_EMPLOYEE,
} from './resources.js';
import type { SimDb, SimTx } from './store.js';

/**
 * What the Autotask UI does with API users and security levels, for the admin console: each
 * function validates like the UI form would and refuses with the message the form would show.
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const KEY_PATTERN = new RegExp(PERMISSION_KEY_PATTERN);

function body(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw badInput('The request body must be a JSON object.');
  return raw;
}

function optionalBoolean(b: Record<string, unknown>, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badInput(`${key} must be true or false.`);
  return v;
}

function requiredText(b: Record<string, unknown>, key: string, label: string): string {
  const v = b[key];
  if (typeof v !== 'string' || v.trim() === '') throw badInput(`${label} is required.`);
  return v.trim();
}

function only(b: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(b).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    throw badInput(
      `Unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')} (known: ${allowed.join(', ')}).`,
    );
}

/** Check a permissions map; returns it with keys and values as given. */
function permissionsOf(raw: unknown): Record<string, string | string[]> {
  if (!isObject(raw)) throw badInput('permissions must be an object of "Section › Object": value.');
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!KEY_PATTERN.test(key)) throw badInput(`Permission "${key}" must be written "Section › Object".`);
    if (typeof value === 'string' && (PERMISSION_SCOPES as readonly string[]).includes(value))
      out[key] = value;
    else if (
      Array.isArray(value) &&
      value.every((r) => (PERMISSION_RIGHTS as readonly unknown[]).includes(r)) &&
      new Set(value).size === value.length
    )
      out[key] = [...(value as string[])];
    else
      throw badInput(
        `Permission "${key}" must be one of ${PERMISSION_SCOPES.join(', ')} or a list of ${PERMISSION_RIGHTS.join(', ')}.`,
      );
  }
  return out;
}

/** A security level by id or by name (case-insensitive): ids from the console, names from people. */
export function findSecurityLevel(db: SimDb, idOrName: string): SecurityLevelRec | undefined {
  const t = db.table('securityLevel');
  const byId = t.get(idOrName);
  if (byId) return byId;
  const lower = idOrName.toLowerCase();
  for (const l of t.values()) if (l.name.toLowerCase() === lower) return l;
  return undefined;
}

function mustFindLevel(db: SimDb, idOrName: string): SecurityLevelRec {
  const l = findSecurityLevel(db, idOrName);
  if (!l) throw notFound(`No security level ${JSON.stringify(idOrName)}.`);
  return l;
}

function nameTaken(db: SimDb, name: string, except?: string): boolean {
  const lower = name.toLowerCase();
  for (const l of db.table('securityLevel').values())
    if (l.key !== except && l.name.toLowerCase() === lower) return true;
  return false;
}

/**
 * Security Levels › (context menu of a level) › Copy: a new level with the copy's permissions,
 * then the given ones on top. A copy of an API-only level is API-only.
 */
export function createSecurityLevel(tx: SimTx, raw: unknown): SecurityLevelRec {
  const b = body(raw);
  only(b, ['name', 'copiedFrom', 'permissions', 'active']);
  const name = requiredText(b, 'name', 'Name');
  if (name.length > 100) throw badInput('Name is longer than 100 characters.');
  if (typeof b.copiedFrom !== 'string' || b.copiedFrom.trim() === '')
    throw badInput('copiedFrom is required: a security level is made by copying an existing one.');
  const base = findSecurityLevel(tx, b.copiedFrom);
  if (!base) throw badInput(`There is no security level ${JSON.stringify(b.copiedFrom)} to copy.`);
  if (nameTaken(tx, name)) throw badInput(`A security level named ${JSON.stringify(name)} already exists.`);
  const rec: SecurityLevelRec = {
    key: tx.newKey('securityLevel'),
    name,
    copiedFrom: base.name,
    apiOnly: base.apiOnly,
    system: false,
    active: optionalBoolean(b, 'active') ?? true,
    permissions: {
      ...base.permissions,
      ...(b.permissions !== undefined ? permissionsOf(b.permissions) : {}),
    },
  };
  tx.put('securityLevel', rec);
  return rec;
}

/** Security Levels › Edit: name, permissions (entries given replace those entries), active. */
export function editSecurityLevel(tx: SimTx, idOrName: string, raw: unknown): SecurityLevelRec {
  const b = body(raw);
  only(b, ['name', 'permissions', 'active', 'copiedFrom']);
  const rec = mustFindLevel(tx, idOrName);
  if (rec.system) throw badInput(`${rec.name} is a system security level: it cannot be edited, only copied.`);
  if (b.copiedFrom !== undefined && b.copiedFrom !== rec.copiedFrom)
    throw badInput('The level a security level was copied from cannot be changed; make a new copy.');
  const next: SecurityLevelRec = { ...rec, permissions: { ...rec.permissions } };
  if (b.name !== undefined) {
    const name = requiredText(b, 'name', 'Name');
    if (nameTaken(tx, name, rec.key))
      throw badInput(`A security level named ${JSON.stringify(name)} already exists.`);
    next.name = name;
  }
  if (b.permissions !== undefined) Object.assign(next.permissions, permissionsOf(b.permissions));
  const active = optionalBoolean(b, 'active');
  if (active !== undefined) next.active = active;
  tx.put('securityLevel', next);
  return next;
}

function findVendor(db: SimDb, name: string): VendorRec | undefined {
  const lower = name.toLowerCase();
  for (const v of db.table('vendor').values()) if (v.name.toLowerCase() === lower) return v;
  return undefined;
}

/** Add an integration vendor to the form's list (Autotask's list comes from its partner programme). */
export function addVendor(tx: SimTx, raw: unknown): VendorRec {
  const b = body(raw);
  only(b, ['name']);
  const name = requiredText(b, 'name', 'name');
  const existing = findVendor(tx, name);
  if (existing) return existing;
  const rec = { key: tx.newKey('vendor'), name };
  tx.put('vendor', rec);
  return rec;
}

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789$*#~@';

function randomText(chars: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += chars[randomInt(chars.length)];
  return s;
}

/** "Generate Key": 15 characters at the database's domain (Autotask usernames are e-mail shaped). */
export function generateKey(domain: string): string {
  return `${randomText(KEY_CHARS, 15)}@${domain}`;
}

/** "Generate Secret": 25 characters. */
export function generateSecret(): string {
  return randomText(SECRET_CHARS, 25);
}

function userNameTaken(db: SimDb, userName: string, except?: string): boolean {
  const lower = userName.toLowerCase();
  for (const r of db.table('resource').values())
    if (r.key !== except && r.userName.toLowerCase() === lower) return true;
  return false;
}

function checkNames(fields: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const f = fieldNamed(k);
    const p = f ? checkValue(f, v) : undefined;
    if (p) errors.push(p);
  }
  return errors;
}

function apiSecurityLevel(db: SimDb, idOrName: unknown): SecurityLevelRec {
  if (typeof idOrName !== 'string' || idOrName.trim() === '') throw badInput('Security Level is required.');
  const level = findSecurityLevel(db, idOrName);
  // The form's list holds only active API-only levels.
  if (!level) throw badInput(`There is no security level ${JSON.stringify(idOrName)}.`);
  if (!level.apiOnly)
    throw badInput(`${level.name} is not an API-only security level: API users can only have those.`);
  if (!level.active) throw badInput(`${level.name} is inactive: the form lists only active security levels.`);
  return level;
}

/**
 * Resources/Users › + New › New API User › Save & Close. Generates the username (key) unless one
 * is given, and always the secret, which is returned here once and kept only as a hash.
 */
export function createApiUser(
  tx: SimTx,
  raw: unknown,
  opts: { domain: string; now: string },
): { rec: ResourceRec; secret: string; trackingIdentifier: string } {
  const b = body(raw);
  only(b, [
    'firstName',
    'lastName',
    'email',
    'securityLevel',
    'integrationVendor',
    'active',
    'locked',
    'username',
  ]);
  const firstName = requiredText(b, 'firstName', 'First Name');
  const lastName = requiredText(b, 'lastName', 'Last Name');
  const email = requiredText(b, 'email', 'Email Address');
  const errors = checkNames({ firstName, lastName, email });
  if (errors.length > 0) throw badInput(errors);
  const level = apiSecurityLevel(tx, b.securityLevel);
  if (typeof b.integrationVendor !== 'string' || b.integrationVendor.trim() === '')
    throw badInput('Integration Vendor is required (API Tracking Identifier).');
  const vendor = findVendor(tx, b.integrationVendor);
  if (!vendor)
    throw badInput(`${JSON.stringify(b.integrationVendor)} is not in the Integration Vendor list.`);
  let userName: string;
  if (b.username !== undefined) {
    userName = requiredText(b, 'username', 'Username (Key)');
    if (!/^[^@\s]+@[^@\s]+$/.test(userName))
      throw badInput('Username (Key) must have the form of an e-mail address.');
  } else {
    do userName = generateKey(opts.domain);
    while (userNameTaken(tx, userName));
  }
  if (userNameTaken(tx, userName)) throw badInput(`Username (Key) ${userName} is already in use.`);
  const secret = generateSecret();
  const h = hashSecret(secret);
  const trackingIdentifier = newTrackingIdentifier();
  const t = hashSecret(trackingIdentifier);
  const key = tx.newKey('resource');
  const rec: ResourceRec = {
    key,
    id: Number(key),
    firstName,
    lastName,
    middleName: null,
    email,
    userName,
    title: null,
    isActive: optionalBoolean(b, 'active') ?? true,
    licenseType: LICENSE_API_USER,
    userType: USER_TYPE_API,
    resourceType: 'Employee',
    officePhone: null,
    mobilePhone: null,
    apiUser: {
      securityLevel: level.key,
      integrationVendor: vendor.name,
      locked: optionalBoolean(b, 'locked') ?? false,
      secretHash: h.hash,
      secretSalt: h.salt,
      trackingHash: t.hash,
      trackingSalt: t.salt,
      secretSetAt: opts.now,
      createdAt: opts.now,
    },
  };
  tx.put('resource', rec);
  return { rec, secret, trackingIdentifier };
}

function mustFindApiUser(db: SimDb, id: string): ResourceRec {
  const rec = db.table('resource').get(id);
  if (!rec) throw notFound(`No resource ${id}.`);
  if (!rec.apiUser) throw badInput(`Resource ${id} is not an API user.`);
  return rec;
}

/** Edit an API user: security level, locked, active, names, e-mail. The integration vendor cannot change. */
export function editApiUser(tx: SimTx, id: string, raw: unknown): ResourceRec {
  const b = body(raw);
  only(b, ['firstName', 'lastName', 'email', 'securityLevel', 'integrationVendor', 'active', 'locked']);
  const rec = mustFindApiUser(tx, id);
  const api = rec.apiUser!;
  if (b.integrationVendor !== undefined && b.integrationVendor !== api.integrationVendor)
    throw badInput('The Integration Vendor of an API user cannot be changed after it is created.');
  const next: ResourceRec = { ...rec, apiUser: { ...api } };
  const names: Record<string, unknown> = {};
  for (const k of ['firstName', 'lastName', 'email'] as const) if (b[k] !== undefined) names[k] = b[k];
  const errors = checkNames(names);
  if (errors.length > 0) throw badInput(errors);
  Object.assign(next, names);
  if (b.securityLevel !== undefined) next.apiUser!.securityLevel = apiSecurityLevel(tx, b.securityLevel).key;
  const locked = optionalBoolean(b, 'locked');
  if (locked !== undefined) next.apiUser!.locked = locked;
  const active = optionalBoolean(b, 'active');
  if (active !== undefined) next.isActive = active;
  tx.put('resource', next);
  return next;
}

/** Edit › Generate Secret › Save: a new secret (shown once); the old one stops working. */
export function regenerateSecret(tx: SimTx, id: string, now: string): { rec: ResourceRec; secret: string } {
  const rec = mustFindApiUser(tx, id);
  const secret = generateSecret();
  const h = hashSecret(secret);
  const next: ResourceRec = {
    ...rec,
    apiUser: { ...rec.apiUser!, secretHash: h.hash, secretSalt: h.salt, secretSetAt: now },
  };
  tx.put('resource', next);
  return { rec: next, secret };
}

/** What the console shows of an API user: the UI's view, never the secret (or its hash). */
export function apiUserView(db: SimDb, rec: ResourceRec): Record<string, unknown> {
  const api = rec.apiUser;
  const level = api ? db.table('securityLevel').get(api.securityLevel) : undefined;
  return {
    id: rec.id,
    firstName: rec.firstName,
    lastName: rec.lastName,
    email: rec.email,
    username: rec.userName,
    active: rec.isActive,
    ...(api
      ? {
          locked: api.locked,
          securityLevel: level?.name ?? null,
          securityLevelId: api.securityLevel,
          integrationVendor: api.integrationVendor,
          secretSetAt: api.secretSetAt,
          createdAt: api.createdAt,
        }
      : { apiUser: false }),
  };
}

/** What the console shows of a security level. */
export function securityLevelView(rec: SecurityLevelRec): Record<string, unknown> {
  return {
    id: rec.key,
    name: rec.name,
    ...(rec.copiedFrom ? { copiedFrom: rec.copiedFrom } : {}),
    apiOnly: rec.apiOnly,
    system: rec.system,
    active: rec.active,
    permissions: rec.permissions,
  };
}

/**
 * Bulk-add resources in one transaction (tests of paging): `resources` interactive users and
 * `apiUsers` API users (with a security level and vendor, and a secret nobody knows).
 */
export function seedResources(
  tx: SimTx,
  raw: unknown,
  opts: { domain: string; now: string },
): { added: number } {
  const b = body(raw);
  only(b, ['resources', 'apiUsers', 'prefix']);
  const count = (k: string) => {
    const v = b[k] ?? 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100_000)
      throw badInput(`${k} must be a whole number between 0 and 100000.`);
    return v;
  };
  const resources = count('resources');
  const apiUsers = count('apiUsers');
  const prefix = typeof b.prefix === 'string' && b.prefix ? b.prefix : 'bulk';
  const level = [...tx.table('securityLevel').values()].find((l) => l.apiOnly && l.active);
  const vendor = tx.table('vendor').values().next().value;
  for (let i = 1; i <= resources + apiUsers; i++) {
    const api = i > resources;
    const n = String(i).padStart(6, '0');
    const key = tx.newKey('resource');
    const h = hashSecret(randomBytes(16).toString('hex'));
    tx.put('resource', {
      key,
      id: Number(key),
      firstName: prefix,
      lastName: n,
      middleName: null,
      email: `${prefix}-${n}@example.com`,
      userName: api ? `${prefix.toUpperCase()}${n}@${opts.domain}` : `${prefix}.${n}`,
      title: null,
      isActive: true,
      licenseType: api ? LICENSE_API_USER : LICENSE_FULL,
      userType: api ? USER_TYPE_API : USER_TYPE_EMPLOYEE,
      resourceType: 'Employee',
      officePhone: null,
      mobilePhone: null,
      ...(api && level && vendor
        ? {
            apiUser: {
              securityLevel: level.key,
              integrationVendor: vendor.name,
              locked: false,
              secretHash: h.hash,
              secretSalt: h.salt,
              secretSetAt: opts.now,
              createdAt: opts.now,
            },
          }
        : {}),
    });
  }
  return { added: resources + apiUsers };
}
