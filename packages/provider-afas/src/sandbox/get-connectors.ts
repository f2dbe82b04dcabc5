import { badRequest, refused } from './errors.js';
import type { SimDb } from './store.js';

/** The data sets the simulator can serve through a GetConnector. */
export type DatasetName = 'users' | 'userGroups';

type Row = Record<string, unknown>;

interface Dataset {
  /** Field ids in the order AFAS lists them, with their data type for `/metainfo/get/{id}`. */
  fields: Array<{ id: string; label: string; dataType: 'string' | 'boolean' }>;
  rows(db: SimDb): Row[];
}

/**
 * The user and group GetConnectors of AFAS's spec. `Profit_Users`: one row per user.
 * `Profit_UserGroups`: one row per membership, the group description in the field the spec spells
 * `Decription`; every user is in the built-in all-users group. A group without members comes back
 * as one row with `UserId: null` (a left join) — AFAS does not document this case; see README.
 */
export const DATASETS: Record<DatasetName, Dataset> = {
  users: {
    fields: [
      { id: 'UserId', label: 'User', dataType: 'string' },
      { id: 'Description', label: 'Description', dataType: 'string' },
      { id: 'UPN', label: 'UPN', dataType: 'string' },
      { id: 'Blocked', label: 'Blocked', dataType: 'boolean' },
      { id: 'Email', label: 'E-mail', dataType: 'string' },
      { id: 'Windows', label: 'Profit Windows', dataType: 'boolean' },
      { id: 'Connector', label: 'Connector', dataType: 'boolean' },
      { id: 'OutSite', label: 'OutSite', dataType: 'boolean' },
      { id: 'InSite', label: 'InSite', dataType: 'boolean' },
      { id: 'PersonId', label: 'Person', dataType: 'string' },
      { id: 'EmployeeId', label: 'Employee', dataType: 'string' },
    ],
    rows: (db) =>
      db
        .table('user')
        .values()
        .map((u) => ({
          UserId: u.userId,
          Description: u.name,
          UPN: u.upn ?? null,
          Blocked: u.blocked,
          Email: u.email ?? null,
          Windows: u.windows,
          Connector: u.connector === true,
          OutSite: u.outSite,
          InSite: u.inSite,
          PersonId: u.personCode ?? null,
          EmployeeId: null,
        })),
  },
  userGroups: {
    fields: [
      { id: 'GroupId', label: 'Group', dataType: 'string' },
      { id: 'Decription', label: 'Description', dataType: 'string' },
      { id: 'UserId', label: 'User', dataType: 'string' },
    ],
    rows: (db) => {
      const users = db.table('user').values();
      const byGroup = new Map<string, string[]>();
      for (const m of db.table('member').values()) {
        const u = db.table('user').get(m.user);
        if (!u) continue;
        const list = byGroup.get(m.group) ?? [];
        list.push(u.userId);
        byGroup.set(m.group, list);
      }
      const out: Row[] = [];
      for (const g of db.table('group').values()) {
        const members = g.builtIn ? users.map((u) => u.userId) : (byGroup.get(g.key) ?? []);
        if (members.length === 0) out.push({ GroupId: g.id, Decription: g.description, UserId: null });
        for (const userId of members) out.push({ GroupId: g.id, Decription: g.description, UserId: userId });
      }
      return out;
    },
  },
};

/** Past this many cells in one answer AFAS runs out of memory (its guideline: columns × rows < 150,000). */
export const MAX_CELLS = 150_000;

interface Condition {
  field: string;
  operator: number;
  value: string;
}

/**
 * Filters from the query: the parallel lists `filterfieldids`, `filtervalues`, `operatortypes`
 * (`,` = AND, `;` = OR), or `filterjson` (Fields within a Filter ANDed, Filters ORed).
 * Returns OR-groups of AND-conditions.
 */
export function parseFilters(params: URLSearchParams, fields: readonly string[]): Condition[][] {
  const json = params.get('filterjson');
  let groups: Condition[][];
  if (json !== null) {
    groups = parseFilterJson(json);
  } else {
    const ids = params.get('filterfieldids');
    if (ids === null || ids === '') return [];
    const values = params.get('filtervalues') ?? '';
    const ops = params.get('operatortypes') ?? '';
    const split = (s: string) => s.split(';').map((g) => g.split(','));
    const [gi, gv, go] = [split(ids), split(values), split(ops)];
    if (
      gi.length !== gv.length ||
      gi.length !== go.length ||
      gi.some((g, i) => g.length !== gv[i]!.length || g.length !== go[i]!.length)
    ) {
      throw badRequest('filterfieldids, filtervalues and operatortypes must have the same number of items');
    }
    groups = gi.map((g, i) =>
      g.map((field, j) => ({ field, value: gv[i]![j]!, operator: Number(go[i]![j]) })),
    );
  }
  const known = new Map(fields.map((f) => [f.toLowerCase(), f]));
  for (const g of groups) {
    for (const c of g) {
      const f = known.get(c.field.toLowerCase());
      if (!f) throw refused(`Connector field '${c.field}' not found`);
      c.field = f;
      if (!Number.isInteger(c.operator) || c.operator < 1 || c.operator > 15) {
        throw refused(`Operator type '${c.operator}' is not valid (1–15)`);
      }
    }
  }
  return groups;
}

function parseFilterJson(text: string): Condition[][] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw badRequest('filterjson is not valid JSON');
  }
  const filters = (doc as { Filters?: { Filter?: unknown } })?.Filters?.Filter;
  const list = Array.isArray(filters) ? filters : filters ? [filters] : [];
  return list.map((f) => {
    const fieldsRaw = (f as { Field?: unknown }).Field;
    const fields = Array.isArray(fieldsRaw) ? fieldsRaw : fieldsRaw ? [fieldsRaw] : [];
    return fields.map((x) => {
      const c = x as Record<string, unknown>;
      return {
        field: String(c['@FieldId'] ?? ''),
        operator: Number(c['@OperatorType']),
        value: c['#text'] === undefined || c['#text'] === null ? '' : String(c['#text']),
      };
    });
  });
}

/** A row value as text for comparisons (booleans as AFAS filters give them: true/false or 1/0). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

function equal(v: unknown, value: string): boolean {
  if (typeof v === 'boolean') {
    const b = value.trim().toLowerCase();
    return (b === 'true' || b === '1') === v && ['true', 'false', '1', '0'].includes(b);
  }
  return text(v).toLowerCase() === value.toLowerCase();
}

function compare(v: unknown, value: string): number {
  const a = text(v);
  const na = Number(a);
  const nb = Number(value);
  if (a !== '' && value !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const x = a.toLowerCase();
  const y = value.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether one row passes one condition (string comparisons ignore case, like Profit's database). */
function passes(row: Row, c: Condition): boolean {
  const v = row[c.field];
  const t = text(v).toLowerCase();
  const q = c.value.toLowerCase();
  switch (c.operator) {
    case 1:
      return equal(v, c.value);
    case 2:
      return compare(v, c.value) >= 0;
    case 3:
      return compare(v, c.value) <= 0;
    case 4:
      return compare(v, c.value) > 0;
    case 5:
      return compare(v, c.value) < 0;
    case 6:
    case 15:
      return t.includes(q);
    case 7:
      return !equal(v, c.value);
    case 8:
      return t === '';
    case 9:
      return t !== '';
    case 10:
      return t.startsWith(q);
    case 11:
      return !t.includes(q);
    case 12:
      return !t.startsWith(q);
    case 13:
      return t.endsWith(q);
    case 14:
      return !t.endsWith(q);
    default:
      return false;
  }
}

/** `orderbyfieldids`: comma list, `-Field` descending. */
function sortRows(rows: Row[], spec: string | null, fields: readonly string[]): Row[] {
  if (!spec) return rows;
  const known = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const keys = spec
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const desc = s.trim().startsWith('-');
      const name = s.trim().replace(/^-/, '');
      const f = known.get(name.toLowerCase());
      if (!f) throw refused(`Connector field '${name}' not found`);
      return { f, desc };
    });
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.f], text(b[k.f]));
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw refused('An unexpected error has occurred.');
  return n;
}

/**
 * Answer `GET /connectors/{id}` over a data set: filters, order, then `skip`/`take` (defaults 0 and
 * 100, always applied; `-1`/`-1` is everything; `take=-1` with another skip is AFAS's 500 "An
 * unexpected error has occurred."), and the "Out of memory" 500 past `MAX_CELLS`.
 */
export function runGetConnector(db: SimDb, dataset: DatasetName, params: URLSearchParams): Row {
  const def = DATASETS[dataset];
  const fieldIds = def.fields.map((f) => f.id);
  const skip = intParam(params, 'skip', 0);
  const take = intParam(params, 'take', 100);
  const all = skip === -1 && take === -1;
  if (!all && (skip < 0 || take < -1 || (take === -1 && skip !== -1))) {
    throw refused('An unexpected error has occurred.');
  }
  const filter = parseFilters(params, fieldIds);
  let rows = def.rows(db);
  if (filter.length > 0) rows = rows.filter((r) => filter.some((g) => g.every((c) => passes(r, c))));
  rows = sortRows(rows, params.get('orderbyfieldids'), fieldIds);
  const page = all ? rows : rows.slice(skip, skip + take);
  if (page.length * fieldIds.length > MAX_CELLS) {
    throw refused('Out of String space / Out of memory: retrieve fewer rows per call (take)');
  }
  return { skip, take, rows: page };
}
