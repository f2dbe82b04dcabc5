import { badRequest, refused } from './errors.js';
import { codeKey, memberKey, type UserRec } from './records.js';
import type { SimTx } from './store.js';

/** Field lengths from the KnUser schema. */
const MAX_LENGTH: Record<string, number> = {
  UsId: 80,
  UsIdNew: 80,
  Nm: 80,
  GrId: 20,
  GrDs: 50,
  BcCo: 15,
  EmAd: 255,
  XOEA: 255,
  Upn: 255,
  CAId: 255,
  CANm: 255,
};
const TEXT_FIELDS = new Set([
  'UsId',
  'UsIdNew',
  'Nm',
  'GrId',
  'GrDs',
  'BcCo',
  'EmAd',
  'XOEA',
  'Upn',
  'CAId',
  'CANm',
]);
const BOOLEAN_FIELDS = new Set(['Awin', 'Site', 'InSi', 'OcUs', 'PoMa', 'AcUs', 'Acon', 'Abac', 'Acom']);
/**
 * The fields the KnUser help page lists as mandatory for an INSERT ([H-knuser], "Mandatory fields
 * for an INSERT action"), with its labels. The OpenAPI schema requires only MtCd, UsId and Nm, and
 * dropped Acon/Abac/Acom in Profit 3 ([A-p3]); the simulator holds inserts to the stricter help page,
 * so a client that satisfies it satisfies both.
 */
export const INSERT_MANDATORY: ReadonlyArray<readonly [string, string]> = [
  ['UsId', 'User'],
  ['MtCd', 'Entry code'],
  ['Nm', 'Description'],
  ['Awin', 'Profit Windows'],
  ['Acon', 'Connector'],
  ['Abac', 'Backups from the command line'],
  ['Acom', 'Command line'],
  ['Site', 'OutSite'],
  ['InSi', 'InSite'],
];
const OTHER_FIELDS = new Set(['MtCd', 'InLn']);
const LANGUAGES = new Set([1031, 1036, 1043, 2057, 2067]);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type Fields = Record<string, unknown>;

/** What one KnUser element did, for the answer and the console. */
export interface KnUserResult {
  userId: string;
  created: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** AFAS sends booleans as true/false and as "1"/"0" (and examples as "true"/"false"). */
function toBoolean(field: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true' || v === 'True') return true;
  if (v === 0 || v === '0' || v === 'false' || v === 'False') return false;
  throw refused(`KnUser: ${field} must be true or false (got ${JSON.stringify(v)})`);
}

/** The elements of a body `{"KnUser":{"Element":{…} or [ … ]}}`. */
function elementsOf(body: unknown): Array<Record<string, unknown>> {
  if (!isObject(body) || !isObject(body.KnUser))
    throw badRequest('The body must be {"KnUser":{"Element":{…}}}');
  const el = body.KnUser.Element;
  const list = Array.isArray(el) ? el : [el];
  if (list.length === 0 || !list.every(isObject))
    throw badRequest('KnUser.Element must be an object or a list of them');
  return list as Array<Record<string, unknown>>;
}

/** Check every field's name, type and length; texts are trimmed of nothing (AFAS stores them as sent). */
function checkFields(fields: Fields): void {
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'Pw')
      throw refused("KnUser: field 'Pw' is no longer part of the REST schema (removed in Profit 3)");
    if (!TEXT_FIELDS.has(k) && !BOOLEAN_FIELDS.has(k) && !OTHER_FIELDS.has(k)) {
      throw refused(`KnUser: field '${k}' does not exist`);
    }
    if (v === null || v === undefined) continue;
    if (TEXT_FIELDS.has(k)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw refused(`KnUser: ${k} must be text`);
      const max = MAX_LENGTH[k];
      if (max !== undefined && String(v).length > max) {
        throw refused(`KnUser: ${k} is longer than ${max} characters`);
      }
    } else if (BOOLEAN_FIELDS.has(k)) {
      toBoolean(k, v);
    } else if (k === 'InLn' && !LANGUAGES.has(Number(v))) {
      throw refused('KnUser: InLn must be 1031, 1036, 1043, 2057 or 2067');
    }
  }
}

/** `MtCd` "0"–"6", as a string or (as examples send) a number; undefined when absent. */
function mutationCode(fields: Fields): number | undefined {
  const v = fields.MtCd;
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 6 || String(v).trim() !== String(n)) {
    throw refused(`KnUser: MtCd must be 0 to 6 (got ${JSON.stringify(v)})`);
  }
  return n;
}

const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

/**
 * Apply one KnUser request (POST = insert, PUT = update) in a transaction, enforcing AFAS's rules:
 *
 * - the key is `@UsId` on the element or `UsId` in `Fields` (both are documented);
 * - POST needs every field the help page lists as mandatory for an INSERT (`INSERT_MANDATORY`),
 *   else 500 with AFAS's error body, and the user must not exist (codes compare without case);
 *   PUT needs `UsId` of an existing user; `""` clears a text field;
 * - no e-mail address is demanded (the vendor demands none), except with OutSite;
 * - `MtCd`: 0 block and remove from every group but the all-users group; 1 insert/update and link
 *   to `GrId`, which must exist; 2 block (the user keeps its groups, as the help says); 3 as 1,
 *   creating the group (`GrDs` its description) if needed; 4 rename to `UsIdNew`; 5 change the
 *   password, which the REST schema no longer supports; 6 unblock;
 * - `Pw` is refused; `Acon` (Connector) is kept, `Abac`/`Acom` accepted.
 */
export function applyKnUser(tx: SimTx, method: 'POST' | 'PUT', body: unknown, now: string): KnUserResult[] {
  return elementsOf(body).map((el) => applyElement(tx, method, el, now));
}

function applyElement(
  tx: SimTx,
  method: 'POST' | 'PUT',
  el: Record<string, unknown>,
  now: string,
): KnUserResult {
  if (el.Fields !== undefined && !isObject(el.Fields))
    throw badRequest('KnUser.Element.Fields must be an object');
  const fields: Fields = { ...((el.Fields as Fields | undefined) ?? {}) };
  checkFields(fields);
  const keyed = str(el['@UsId']) ?? str(fields.UsId);
  if (str(el['@UsId']) && str(fields.UsId) && codeKey(str(el['@UsId'])!) !== codeKey(str(fields.UsId)!)) {
    throw refused('KnUser: @UsId and Fields.UsId name different users');
  }
  if (method === 'POST') {
    // AFAS answers a functional refusal with 500 and its error body (the KnUser operations document
    // no 400): every mandatory field of an insert must be there, with a value.
    const given = (f: string) => {
      const v = f === 'UsId' ? keyed : fields[f];
      return v !== undefined && v !== null && String(v).trim() !== '';
    };
    const missing = INSERT_MANDATORY.filter(([f]) => !given(f));
    if (missing.length > 0) {
      throw refused(
        `KnUser: mandatory field${missing.length > 1 ? 's' : ''} for an insert missing: ${missing.map(([f, label]) => `${f} (${label})`).join(', ')}`,
      );
    }
  }
  if (!keyed?.trim()) throw refused('KnUser: UsId (User) is required');
  const userId = keyed;
  const mtcd = mutationCode(fields);
  const existing = tx.table('user').get(codeKey(userId));
  let user: UserRec;
  let created = false;
  if (method === 'POST') {
    if (existing) throw refused(`User '${existing.userId}' already exists`);
    if (mtcd === 4) throw refused('KnUser: MtCd 4 renames an existing user; use PUT');
    user = {
      key: codeKey(userId),
      userId,
      name: String(fields.Nm),
      windows: false,
      inSite: false,
      outSite: false,
      connector: false,
      blocked: false,
      createdAt: now,
      modifiedAt: now,
    };
    created = true;
  } else {
    if (!existing) throw refused(`User '${userId}' does not exist`);
    user = { ...existing };
  }
  if (mtcd === 5)
    throw refused('KnUser: changing a password (MtCd 5) is not supported by the REST UpdateConnector');

  // Fields first, then the mutation the code asks for.
  const setText = (field: string, apply: (v: string | undefined) => void) => {
    if (!(field in fields)) return;
    const v = str(fields[field]);
    apply(v === '' ? undefined : v);
  };
  setText('Nm', (v) => {
    if (v === undefined) throw refused('KnUser: Nm cannot be cleared');
    user.name = v;
  });
  setText('EmAd', (v) => {
    if (v !== undefined && !EMAIL.test(v)) throw refused(`KnUser: EmAd '${v}' is not a valid e-mail address`);
    user.email = v;
  });
  setText('Upn', (v) => {
    user.upn = v;
  });
  setText('BcCo', (v) => {
    user.personCode = v;
  });
  if ('Awin' in fields) user.windows = toBoolean('Awin', fields.Awin);
  if ('InSi' in fields) user.inSite = toBoolean('InSi', fields.InSi);
  if ('Site' in fields) user.outSite = toBoolean('Site', fields.Site);
  if ('Acon' in fields) user.connector = toBoolean('Acon', fields.Acon);
  // Abac and Acom (command-line backups and command line) are accepted and not kept: nothing reads them.

  // KnUser itself demands no e-mail address, nor Windows or InSite: only OutSite needs an e-mail
  // ([H-knuser]: "If you … want to give the user rights to OutSite, you must also specify the e-mail
  // address"). What an app connector's users need is checked where they use it (OTP, access).
  if (user.outSite && !user.email) {
    throw refused(`User '${user.userId}': OutSite (Site) needs an e-mail address (EmAd)`);
  }

  const groupId = str(fields.GrId);
  switch (mtcd) {
    case 0:
      user.blocked = true;
      removeFromGroups(tx, user.key);
      break;
    case 2:
      user.blocked = true;
      break;
    case 6:
      user.blocked = false;
      break;
    case 4: {
      const next = str(fields.UsIdNew);
      if (!next?.trim()) throw refused('KnUser: UsIdNew is required to rename a user (MtCd 4)');
      const clash = tx.table('user').get(codeKey(next));
      if (clash && clash.key !== user.key) throw refused(`User '${clash.userId}' already exists`);
      return rename(tx, user, next, now, created);
    }
    default:
      break;
  }
  user.modifiedAt = now;
  tx.put('user', user);
  if (groupId !== undefined && groupId !== '') {
    if (mtcd === 1) {
      if (!tx.table('group').get(codeKey(groupId))) throw refused(`User group '${groupId}' does not exist`);
      link(tx, codeKey(groupId), user.key);
    } else if (mtcd === 3) {
      if (!tx.table('group').get(codeKey(groupId))) {
        tx.put('group', { key: codeKey(groupId), id: groupId, description: str(fields.GrDs) || groupId });
      }
      link(tx, codeKey(groupId), user.key);
    } else {
      throw refused(
        `KnUser: GrId links a user to a group only with MtCd 1 or 3 (got MtCd ${mtcd ?? 'none'})`,
      );
    }
  } else if (mtcd === 3) {
    throw refused('KnUser: GrId is required with MtCd 3');
  }
  return { userId: user.userId, created };
}

function link(tx: SimTx, groupKey: string, userKey: string): void {
  if (tx.table('group').get(groupKey)?.builtIn) return; // everyone is a member already
  const key = memberKey(groupKey, userKey);
  if (!tx.table('member').get(key)) tx.put('member', { key, group: groupKey, user: userKey });
}

function removeFromGroups(tx: SimTx, userKey: string): void {
  for (const m of tx
    .table('member')
    .values()
    .filter((x) => x.user === userKey))
    tx.del('member', m.key);
}

/** MtCd 4: the user keeps its groups and tokens under the new code. */
function rename(tx: SimTx, user: UserRec, next: string, now: string, created: boolean): KnUserResult {
  const oldKey = user.key;
  const newKey = codeKey(next);
  tx.put('user', { ...user, key: newKey, userId: next, modifiedAt: now });
  if (newKey !== oldKey) {
    tx.del('user', oldKey);
    for (const m of tx
      .table('member')
      .values()
      .filter((x) => x.user === oldKey)) {
      tx.del('member', m.key);
      tx.put('member', { key: memberKey(m.group, newKey), group: m.group, user: newKey });
    }
    for (const t of tx
      .table('token')
      .values()
      .filter((x) => x.user === oldKey)) {
      tx.put('token', { ...t, user: newKey });
    }
  }
  return { userId: next, created };
}
