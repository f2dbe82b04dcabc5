import { type FaultSwitch, FaultSwitchError } from '@roster/sim-kit';
import { REGISTER_NAMES, REGISTERS, type RegisterName } from '../client/format.js';
import {
  AREA_PATTERN,
  describeOwner,
  ID_PATTERN,
  LIST_NAME_PATTERN,
  type OwnerType,
  orderRights,
  ownerOfKey,
  RIGHTS,
  type Right,
  registerOf,
  SECURITY_PERMISSIONS_AREA,
  TEXT_PATTERN,
} from '../kinds/common.js';
import type { AccountRec, ContactRec, Registers, RoleRec, StaffRec } from './records.js';
import { renderExport } from './render-export.js';
import type { RegisterStore } from './store.js';

/** A console answer: JSON, or text (an export file). */
export interface ConsoleReply {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
}

/** A request the console refuses, as the UI would: status and message. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

/** Who the console records as having made a change when the request does not say. */
export const CONSOLE_AUTHOR = 'sandbox console';

type Body = Record<string, unknown>;

function parseBody(raw: string): Body {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConsoleError(400, 'the request body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new ConsoleError(400, 'the request body must be a JSON object');
  return v as Body;
}

function only(b: Body, allowed: readonly string[]): void {
  for (const k of Object.keys(b)) {
    if (!allowed.includes(k))
      throw new ConsoleError(400, `${k} is not a field here (fields: ${allowed.join(', ')})`);
  }
}

function text(
  b: Body,
  key: string,
  opts: { max: number; required: boolean; pattern?: string },
): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) {
    if (opts.required) throw new ConsoleError(400, `${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ConsoleError(400, `${key} must be text`);
  if (v.length === 0 && opts.required) throw new ConsoleError(400, `${key} is required`);
  if (v.length > opts.max) throw new ConsoleError(400, `${key} is longer than ${opts.max} characters`);
  if (v !== '' && opts.pattern && !new RegExp(opts.pattern).test(v))
    throw new ConsoleError(
      400,
      `${key} ${JSON.stringify(v)} is not allowed (no surrounding spaces, line breaks${key === 'name' || key === 'roles' ? ' or ";"' : ''})`,
    );
  return v;
}

function flag(b: Body, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ConsoleError(400, `${key} must be true or false`);
  return v;
}

function author(b: Body): string {
  return text(b, 'by', { max: 100, required: false }) || CONSOLE_AUTHOR;
}

/** A permission map from a request: areas (not Security Permissions) → rights. */
function permissionsOf(v: unknown): Record<string, Right[]> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new ConsoleError(400, 'permissions must be an object of area → rights');
  const out: Record<string, Right[]> = {};
  const areaPattern = new RegExp(AREA_PATTERN);
  for (const [area, rights] of Object.entries(v as Record<string, unknown>)) {
    if (!areaPattern.test(area)) throw new ConsoleError(400, `"${area}" is not a permission area name`);
    if (area.toLowerCase() === SECURITY_PERMISSIONS_AREA.toLowerCase())
      throw new ConsoleError(400, 'Security Permissions is set with securityPermissions, not as an area');
    if (Object.keys(out).some((k) => k.toLowerCase() === area.toLowerCase()))
      throw new ConsoleError(400, `permission area ${area} is given twice`);
    if (!Array.isArray(rights) || rights.some((r) => !(RIGHTS as readonly unknown[]).includes(r)))
      throw new ConsoleError(400, `rights on ${area} must be a list of ${RIGHTS.join(', ')}`);
    const ordered = orderRights(rights as string[]);
    if (ordered.length > 0) out[area] = ordered;
  }
  return out;
}

function ownerOfBody(v: unknown): { type: OwnerType; id: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new ConsoleError(400, 'owner must be {staff: ID} or {contact: ID}');
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1 || (keys[0] !== 'staff' && keys[0] !== 'contact') || typeof o[keys[0]] !== 'string')
    throw new ConsoleError(400, 'owner must be {staff: ID} or {contact: ID}');
  return { type: keys[0], id: o[keys[0]] as string };
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function findOwner(reg: Registers, type: OwnerType, id: string): StaffRec | ContactRec | undefined {
  return type === 'staff' ? reg.staff.find((s) => s.id === id) : reg.contacts.find((c) => c.id === id);
}

function mustAccount(reg: Registers, key: string): AccountRec {
  const owner = ownerOfKey(key);
  if (!owner) throw new ConsoleError(400, `${key} is not staff:<ID> or contact:<ID>`);
  const a = reg.accounts.find((x) => x.ownerType === owner.type && x.ownerId === owner.id);
  if (!a) throw new ConsoleError(404, `${describeOwner(owner.type, owner.id)} has no account`);
  return a;
}

function findRole(reg: Registers, name: string): RoleRec | undefined {
  return reg.roles.find((r) => sameId(r.name, name));
}

function mustRole(reg: Registers, name: string): RoleRec {
  const r = findRole(reg, name);
  if (!r) throw new ConsoleError(404, `no security role ${name}`);
  return r;
}

function roleKeys(reg: Registers, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new ConsoleError(400, 'roles must be a list of security role names');
  const keys = (v as string[]).map((name) => {
    const r = findRole(reg, name);
    if (!r) throw new ConsoleError(404, `no security role ${name}: create it first (Security Roles › New)`);
    return r.key;
  });
  return [...new Set(keys)];
}

function checkAccountName(reg: Registers, name: string, except?: AccountRec): void {
  const clash = reg.accounts.find((a) => a !== except && sameId(a.accountName, name));
  if (clash)
    throw new ConsoleError(
      409,
      `account name ${name} is already used by the account of ${describeOwner(clash.ownerType, clash.ownerId)}`,
    );
}

/** A role as the console shows it. */
function roleView(r: RoleRec): Record<string, unknown> {
  return {
    name: r.name,
    description: r.description ?? '',
    permissions: r.permissions,
    securityPermissions: r.securityPermissions,
    modifiedBy: r.modifiedBy,
    modifiedAt: r.modifiedAt,
  };
}

/** An account as the console shows it (roles by name). */
export function accountView(reg: Readonly<Registers>, a: AccountRec): Record<string, unknown> {
  const names = new Map(reg.roles.map((r) => [r.key, r.name]));
  return {
    key: `${a.ownerType}:${a.ownerId}`,
    owner: a.ownerType === 'staff' ? { staff: a.ownerId } : { contact: a.ownerId },
    accountName: a.accountName,
    accountType: a.accountType,
    securityCategory: a.securityCategory,
    roles: a.roles.map((k) => names.get(k) ?? k),
    systemIntegration: {
      ...(a.externalSystem !== undefined ? { externalSystem: a.externalSystem } : {}),
      ...(a.externalAccount !== undefined ? { externalAccount: a.externalAccount } : {}),
    },
    active: a.active,
    createdAt: a.createdAt,
    modifiedBy: a.modifiedBy,
    modifiedAt: a.modifiedAt,
  };
}

/** Apply `systemIntegration` from a request (null clears it). */
function setIntegration(a: AccountRec, v: unknown): void {
  if (v === null) {
    delete a.externalSystem;
    delete a.externalAccount;
    return;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new ConsoleError(400, 'systemIntegration must be {externalSystem, externalAccount}');
  const si = v as Body;
  only(si, ['externalSystem', 'externalAccount']);
  const system = text(si, 'externalSystem', { max: 100, required: false, pattern: TEXT_PATTERN });
  const account = text(si, 'externalAccount', { max: 255, required: false, pattern: TEXT_PATTERN });
  if (system) a.externalSystem = system;
  else delete a.externalSystem;
  if (account) a.externalAccount = account;
  else delete a.externalAccount;
}

const ACCOUNT_FIELDS = ['accountName', 'securityCategory', 'roles', 'systemIntegration', 'active', 'by'];

/** Organization work area › Staff or Contacts › document › Account page › Create Account. */
function createAccount(reg: Registers, b: Body, now: string): AccountRec {
  only(b, ['owner', 'accountType', ...ACCOUNT_FIELDS]);
  const owner = ownerOfBody(b.owner);
  const accountType = b.accountType ?? 'integration';
  if (accountType !== 'integration' && accountType !== 'user')
    throw new ConsoleError(400, 'accountType must be integration or user');
  const accountName = text(b, 'accountName', { max: 100, required: true, pattern: TEXT_PATTERN })!;
  const securityCategory =
    text(b, 'securityCategory', {
      max: 100,
      required: accountType === 'integration',
      pattern: TEXT_PATTERN,
    }) ?? '';
  const who = describeOwner(owner.type, owner.id);
  const doc = findOwner(reg, owner.type, owner.id);
  if (!doc) {
    throw new ConsoleError(
      404,
      `${who} does not exist: create the ${owner.type === 'staff' ? 'staff member' : 'contact'} first (Organization work area › ${registerOf(owner.type)} › New)`,
    );
  }
  if (!doc.active)
    throw new ConsoleError(
      409,
      `${who} is inactive: accounts are created for active staff members and contacts`,
    );
  const existing = reg.accounts.find((a) => a.ownerType === owner.type && a.ownerId === owner.id);
  if (existing) {
    throw new ConsoleError(
      409,
      `${who} already has ${existing.accountType === 'integration' ? 'an integration' : 'a user'} account (${existing.accountName}); a staff member or contact holds one account`,
    );
  }
  checkAccountName(reg, accountName);
  const account: AccountRec = {
    ownerType: owner.type,
    ownerId: doc.id,
    accountName,
    accountType,
    securityCategory,
    roles: b.roles === undefined ? [] : roleKeys(reg, b.roles),
    active: flag(b, 'active') ?? true,
    createdAt: now,
    modifiedBy: author(b),
    modifiedAt: now,
  };
  if (b.systemIntegration !== undefined) setIntegration(account, b.systemIntegration);
  reg.accounts.push(account);
  return account;
}

/** Account page › Edit › Save. */
function editAccount(reg: Registers, key: string, b: Body, now: string): AccountRec {
  only(b, ACCOUNT_FIELDS);
  const a = mustAccount(reg, key);
  const accountName = text(b, 'accountName', { max: 100, required: false, pattern: TEXT_PATTERN });
  if (accountName !== undefined) {
    if (accountName === '') throw new ConsoleError(400, 'accountName is required');
    checkAccountName(reg, accountName, a);
    a.accountName = accountName;
  }
  const category = text(b, 'securityCategory', { max: 100, required: false, pattern: TEXT_PATTERN });
  if (category !== undefined) {
    if (category === '' && a.accountType === 'integration')
      throw new ConsoleError(400, 'an integration account needs a security category');
    a.securityCategory = category;
  }
  if (b.roles !== undefined) a.roles = roleKeys(reg, b.roles);
  if (b.systemIntegration !== undefined) setIntegration(a, b.systemIntegration);
  const active = flag(b, 'active');
  if (active !== undefined) {
    if (active && !a.active) {
      const doc = findOwner(reg, a.ownerType, a.ownerId);
      if (doc && !doc.active)
        throw new ConsoleError(
          409,
          `${describeOwner(a.ownerType, a.ownerId)} is inactive: activate it first`,
        );
    }
    a.active = active;
  }
  a.modifiedBy = author(b);
  a.modifiedAt = now;
  return a;
}

function createRole(reg: Registers, b: Body, now: string): RoleRec {
  only(b, ['name', 'description', 'permissions', 'securityPermissions', 'by']);
  const name = text(b, 'name', { max: 100, required: true, pattern: LIST_NAME_PATTERN })!;
  if (findRole(reg, name)) throw new ConsoleError(409, `security role ${name} already exists`);
  const description = text(b, 'description', { max: 255, required: false });
  reg.seq += 1;
  const role: RoleRec = {
    key: String(reg.seq),
    name,
    ...(description ? { description } : {}),
    permissions: permissionsOf(b.permissions),
    securityPermissions: flag(b, 'securityPermissions') ?? false,
    modifiedBy: author(b),
    modifiedAt: now,
  };
  reg.roles.push(role);
  return role;
}

function editRole(reg: Registers, name: string, b: Body, now: string): RoleRec {
  only(b, ['name', 'description', 'permissions', 'securityPermissions', 'by']);
  const role = mustRole(reg, name);
  const rename = text(b, 'name', { max: 100, required: false, pattern: LIST_NAME_PATTERN });
  if (rename !== undefined) {
    if (rename === '') throw new ConsoleError(400, 'name is required');
    const clash = findRole(reg, rename);
    if (clash && clash !== role) throw new ConsoleError(409, `security role ${rename} already exists`);
    role.name = rename;
  }
  const description = text(b, 'description', { max: 255, required: false });
  if (description !== undefined) {
    if (description) role.description = description;
    else delete role.description;
  }
  if (b.permissions !== undefined) role.permissions = permissionsOf(b.permissions);
  const sp = flag(b, 'securityPermissions');
  if (sp !== undefined) role.securityPermissions = sp;
  role.modifiedBy = author(b);
  role.modifiedAt = now;
  return role;
}

function addPerson(reg: Registers, type: OwnerType, b: Body): StaffRec | ContactRec {
  only(
    b,
    type === 'staff' ? ['id', 'name', 'email', 'active'] : ['id', 'name', 'company', 'email', 'active'],
  );
  const id = text(b, 'id', { max: 50, required: true, pattern: ID_PATTERN })!;
  const name = text(b, 'name', { max: 100, required: true, pattern: TEXT_PATTERN })!;
  const email = text(b, 'email', { max: 255, required: false, pattern: TEXT_PATTERN });
  const company = text(b, 'company', { max: 100, required: false, pattern: TEXT_PATTERN });
  const active = flag(b, 'active') ?? true;
  const list: Array<StaffRec | ContactRec> = type === 'staff' ? reg.staff : reg.contacts;
  const clash = list.find((x) => sameId(x.id, id));
  if (clash) throw new ConsoleError(409, `${describeOwner(type, clash.id)} already exists`);
  const rec: StaffRec | ContactRec =
    type === 'staff'
      ? { id, name, ...(email ? { email } : {}), active }
      : {
          id,
          name,
          ...(company ? { company } : {}),
          ...(email ? { email } : {}),
          active,
        };
  list.push(rec);
  return rec;
}

function editPerson(reg: Registers, type: OwnerType, id: string, b: Body): StaffRec | ContactRec {
  only(b, type === 'staff' ? ['name', 'email', 'active'] : ['name', 'company', 'email', 'active']);
  const rec = findOwner(reg, type, id);
  if (!rec) throw new ConsoleError(404, `${describeOwner(type, id)} does not exist`);
  const name = text(b, 'name', { max: 100, required: false, pattern: TEXT_PATTERN });
  if (name) rec.name = name;
  const email = text(b, 'email', { max: 255, required: false, pattern: TEXT_PATTERN });
  if (email !== undefined) {
    if (email) rec.email = email;
    else delete rec.email;
  }
  if (type === 'contact' && b.company !== undefined) {
    const company = text(b, 'company', { max: 100, required: false });
    if (company) (rec as ContactRec).company = company;
    else delete (rec as ContactRec).company;
  }
  const active = flag(b, 'active');
  if (active !== undefined) rec.active = active;
  return rec;
}

/**
 * The admin console under `/__sandbox/`, standing in for Proliance's UI (the Organization work area
 * and the Security Roles register), since Proliance publishes no API. It enforces the rules of the
 * seed: an account is made on an existing, active staff member or contact, one account per
 * document, account and role names unique, a role held by an account cannot be deleted. `POST
 * /export` writes the registers' CSV export, which is what roster reads.
 */
export async function handleConsole(
  store: RegisterStore,
  faults: FaultSwitch,
  method: string,
  path: string,
  raw: string,
): Promise<ConsoleReply> {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const collections = ['staff', 'contacts', 'security-roles', 'accounts', 'export'];
  const route = `${method} /${seg.map((s, i) => (i === 1 && collections.includes(seg[0]!) ? ':id' : s)).join('/')}`;
  const ok = (body: unknown, status = 200): ConsoleReply => ({ status, body });
  const id = seg[1] ?? '';

  switch (route) {
    case 'GET /state':
      return store.read((reg) => ok({ file: store.file, exportDir: store.exportDir, registers: reg }));
    case 'GET /faults':
      return ok(faults.get());
    case 'POST /faults':
      try {
        return ok(faults.set(parseBody(raw)));
      } catch (err) {
        if (err instanceof FaultSwitchError) throw new ConsoleError(400, `${err.message} (${err.pointer})`);
        throw err;
      }
    case 'GET /staff':
      return store.read((reg) => ok(reg.staff));
    case 'GET /contacts':
      return store.read((reg) => ok(reg.contacts));
    case 'POST /staff':
    case 'POST /contacts': {
      const b = parseBody(raw);
      const type: OwnerType = seg[0] === 'staff' ? 'staff' : 'contact';
      return store.transact((reg) => ok(addPerson(reg, type, b), 201));
    }
    case 'GET /staff/:id':
    case 'GET /contacts/:id':
      return store.read((reg) => {
        const type: OwnerType = seg[0] === 'staff' ? 'staff' : 'contact';
        const rec = findOwner(reg as Registers, type, id);
        if (!rec) throw new ConsoleError(404, `${describeOwner(type, id)} does not exist`);
        return ok(rec);
      });
    case 'PATCH /staff/:id':
    case 'PATCH /contacts/:id': {
      const b = parseBody(raw);
      const type: OwnerType = seg[0] === 'staff' ? 'staff' : 'contact';
      return store.transact((reg) => ok(editPerson(reg, type, id, b)));
    }
    case 'GET /security-roles':
      return store.read((reg) => ok(reg.roles.map(roleView)));
    case 'POST /security-roles': {
      const b = parseBody(raw);
      return store.transact((reg) => ok(roleView(createRole(reg, b, store.now())), 201));
    }
    case 'GET /security-roles/:id':
      return store.read((reg) => ok(roleView(mustRole(reg as Registers, id))));
    case 'PATCH /security-roles/:id': {
      const b = parseBody(raw);
      return store.transact((reg) => ok(roleView(editRole(reg, id, b, store.now()))));
    }
    case 'DELETE /security-roles/:id':
      return store.transact((reg) => {
        const role = mustRole(reg, id);
        const holders = reg.accounts.filter((a) => a.roles.includes(role.key));
        if (holders.length > 0) {
          throw new ConsoleError(
            409,
            `security role ${role.name} is held by ${holders.map((a) => `${a.accountName} (${describeOwner(a.ownerType, a.ownerId)})`).join(', ')}: remove it from those accounts first`,
          );
        }
        reg.roles = reg.roles.filter((r) => r !== role);
        return { status: 204 };
      });
    case 'GET /accounts':
      return store.read((reg) => ok(reg.accounts.map((a) => accountView(reg, a))));
    case 'POST /accounts': {
      const b = parseBody(raw);
      return store.transact((reg) => ok(accountView(reg, createAccount(reg, b, store.now())), 201));
    }
    case 'GET /accounts/:id':
      return store.read((reg) => ok(accountView(reg, mustAccount(reg as Registers, id))));
    case 'PATCH /accounts/:id': {
      const b = parseBody(raw);
      return store.transact((reg) => ok(accountView(reg, editAccount(reg, id, b, store.now()))));
    }
    case 'POST /accounts/:id/deactivate': {
      const b = parseBody(raw);
      only(b, ['by']);
      return store.transact((reg) =>
        ok(accountView(reg, editAccount(reg, id, { ...b, active: false }, store.now()))),
      );
    }
    case 'POST /export': {
      const { dir, files } = await store.writeExport();
      const counts = await store.read((reg) => ({
        staff: reg.staff.length,
        contacts: reg.contacts.length,
        accounts: reg.accounts.length,
        securityRoles: reg.roles.length,
      }));
      return ok({ dir, files, counts });
    }
    case 'GET /export/:id': {
      const register = REGISTER_NAMES.find((r) => REGISTERS[r].file === id || r === id) as
        | RegisterName
        | undefined;
      if (!register)
        throw new ConsoleError(
          404,
          `no export file ${id} (files: ${REGISTER_NAMES.map((r) => REGISTERS[r].file).join(', ')})`,
        );
      // What an export would write now, without writing it.
      return store.read((reg) => ({
        status: 200,
        text: renderExport(reg as Registers)[register],
        contentType: 'text/csv; charset=utf-8',
      }));
    }
    default:
      throw new ConsoleError(404, `${method} /__sandbox${path} is not a console route`);
  }
}
