import { badRequest, SimError, type SimErrorDetail } from './errors.js';
import { compilePath, type Getter, type ObjectDef, objectByName } from './model.js';
import type { TableName } from './records.js';
import type { SimDb } from './store.js';

/** Largest `size` the query service accepts (Sage's OpenAPI for `core-query`). */
export const MAX_PAGE_SIZE = 4000;
const DEFAULT_PAGE_SIZE = 100;

export const OPERATORS = [
  '$eq',
  '$ne',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$in',
  '$notIn',
  '$between',
  '$notBetween',
  '$contains',
  '$notContains',
  '$has',
  '$startsWith',
  '$notStartsWith',
  '$endsWith',
  '$notEndsWith',
] as const;
type Operator = (typeof OPERATORS)[number];
const STRING_OPS: ReadonlySet<Operator> = new Set([
  '$contains',
  '$notContains',
  '$startsWith',
  '$notStartsWith',
  '$endsWith',
  '$notEndsWith',
]);

/** The answer of `POST /services/core/query`. */
export interface QueryResponse {
  'ia::result': Array<Record<string, unknown>>;
  'ia::meta': {
    totalCount: number;
    start: number;
    pageSize: number;
    next: number | null;
    previous: number | null;
  };
}

interface CompiledFilter {
  op: Operator;
  path: string;
  get: Getter;
  value: unknown;
}

type Expr = { n: number } | { and: Expr[] } | { or: Expr[] };

/**
 * Ordered keys of the rows matching a query, kept per store version: a client reads the pages of
 * one query concurrently, and each page then costs only its own rows.
 */
export class QueryCache {
  #version = -1;
  readonly #entries = new Map<string, string[]>();
  get(version: number, id: string): string[] | undefined {
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    return this.#entries.get(id);
  }
  set(id: string, keys: string[]): void {
    if (this.#entries.size >= 16) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, keys);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function positiveInt(v: unknown, name: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw badRequest(`${name} must be a positive integer`, `/${name}`);
  return v;
}

/**
 * An object of another application than `company-config` (`accounts-payable/bill`,
 * `general-ledger/account`, …). The sandbox holds no data of those applications: a query of one
 * is answered with no rows (after the permission check), so that what a role grants can be tried.
 */
const OTHER_APPLICATION_OBJECT = /^(?!company-config\/)[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/;
/** The fields a query of an object the sandbox does not model may ask for. */
const OTHER_OBJECT_FIELDS = ['key', 'id', 'href'];

/**
 * The object a query body names, as its permission is named (`company-config/user` for `user`),
 * when the sandbox serves queries of it; undefined otherwise (`runQuery` then explains).
 */
export function queryObject(raw: unknown): string | undefined {
  if (!isObject(raw) || typeof raw.object !== 'string') return undefined;
  const def = objectByName(raw.object);
  if (def) return def.object;
  return OTHER_APPLICATION_OBJECT.test(raw.object) ? raw.object : undefined;
}

/** The answer to a query of an object of another application: validated, and empty. */
function emptyAnswer(raw: Record<string, unknown>): QueryResponse {
  if (
    !Array.isArray(raw.fields) ||
    raw.fields.length === 0 ||
    raw.fields.some((f) => typeof f !== 'string')
  ) {
    throw badRequest('fields must be a non-empty array of field names', '/fields');
  }
  const details: SimErrorDetail[] = (raw.fields as string[])
    .filter((f) => !OTHER_OBJECT_FIELDS.includes(f))
    .map((f) => ({
      code: 'invalidRequest',
      message: `${f} is not a valid field (this sandbox holds no ${raw.object} data; ask for ${OTHER_OBJECT_FIELDS.join(', ')})`,
      target: `/${f}`,
    }));
  if (details.length > 0) throw badRequest('Payload contains errors', undefined, details);
  const size = positiveInt(raw.size, 'size', DEFAULT_PAGE_SIZE);
  if (size > MAX_PAGE_SIZE)
    throw badRequest(`size must be between 1 and ${MAX_PAGE_SIZE} (got ${size})`, '/size');
  const start = positiveInt(raw.start, 'start', 1);
  return {
    'ia::result': [],
    'ia::meta': {
      totalCount: 0,
      start,
      pageSize: size,
      next: null,
      previous: start > 1 ? Math.max(1, start - size) : null,
    },
  };
}

/** Run a query body against the data (validating it the way the service does: 400 on any mistake). */
export function runQuery(db: SimDb, raw: unknown, cache: QueryCache, version: number): QueryResponse {
  if (!isObject(raw)) throw badRequest('The request body must be a JSON object', '/');
  const details: SimErrorDetail[] = [];
  const allowed = [
    'object',
    'fields',
    'filters',
    'filterExpression',
    'filterParameters',
    'orderBy',
    'start',
    'size',
  ];
  for (const k of Object.keys(raw)) {
    if (!allowed.includes(k))
      details.push({ code: 'invalidRequest', message: `/${k} is not a valid field`, target: `/${k}` });
  }
  if (details.length > 0) throw badRequest('Payload contains errors', undefined, details);
  if (typeof raw.object !== 'string') throw badRequest('object is required', '/object');
  const def = objectByName(raw.object);
  if (!def) {
    if (OTHER_APPLICATION_OBJECT.test(raw.object)) return emptyAnswer(raw);
    throw badRequest(`${raw.object} is not a valid object`, '/object');
  }
  if (
    !Array.isArray(raw.fields) ||
    raw.fields.length === 0 ||
    raw.fields.some((f) => typeof f !== 'string')
  ) {
    throw badRequest('fields must be a non-empty array of field names', '/fields');
  }
  const fields = raw.fields as string[];
  const getters: Array<[string, Getter]> = [];
  for (const f of fields) {
    try {
      getters.push([f, compilePath(def, f)]);
    } catch (err) {
      if (err instanceof SimError)
        details.push({ code: err.code, message: err.message, target: err.target ?? `/${f}` });
      else throw err;
    }
  }
  if (details.length > 0) throw badRequest('Payload contains errors', undefined, details);

  const size = positiveInt(raw.size, 'size', DEFAULT_PAGE_SIZE);
  if (size > MAX_PAGE_SIZE)
    throw badRequest(`size must be between 1 and ${MAX_PAGE_SIZE} (got ${size})`, '/size');
  const start = positiveInt(raw.start, 'start', 1);
  const params = raw.filterParameters;
  if (params !== undefined && !isObject(params))
    throw badRequest('filterParameters must be an object', '/filterParameters');
  const caseSensitive = params?.caseSensitiveComparison !== false;

  const filters = compileFilters(def, raw.filters);
  const expr = parseExpression(raw.filterExpression, filters.length);
  const order = compileOrder(def, raw.orderBy);

  const cacheId = JSON.stringify([
    def.object,
    raw.filters ?? null,
    raw.filterExpression ?? null,
    caseSensitive,
    raw.orderBy ?? null,
  ]);
  let keys = cache.get(version, cacheId);
  if (!keys) {
    const table = db.table(def.table as TableName);
    const candidates = indexCandidates(db, def, filters, expr) ?? [...table.values()];
    const norm = (v: unknown) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
    const matched =
      filters.length === 0 ? candidates : candidates.filter((rec) => evaluate(expr, filters, db, rec, norm));
    sortRows(db, matched, order);
    keys = matched.map((r) => r.key);
    cache.set(cacheId, keys);
  }
  const table = db.table(def.table as TableName);
  const page = keys.slice(start - 1, start - 1 + size);
  const rows = page.map((k) => {
    const rec = table.get(k)!;
    const row: Record<string, unknown> = {};
    for (const [name, get] of getters) row[name] = get(db, rec) ?? null;
    return row;
  });
  const total = keys.length;
  return {
    'ia::result': rows,
    'ia::meta': {
      totalCount: total,
      start,
      pageSize: size,
      next: start - 1 + size < total ? start + size : null,
      previous: start > 1 ? Math.max(1, start - size) : null,
    },
  };
}

function compileFilters(def: ObjectDef, raw: unknown): CompiledFilter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('filters must be an array', '/filters');
  return raw.map((f, i) => {
    const t = `/filters/${i}`;
    if (!isObject(f) || Object.keys(f).length !== 1)
      throw badRequest('each filter must be one {"$operator": {field: value}}', t);
    const op = Object.keys(f)[0]! as Operator;
    if (!(OPERATORS as readonly string[]).includes(op)) throw badRequest(`${op} is not a filter operator`, t);
    const arg = f[op];
    if (!isObject(arg) || Object.keys(arg).length !== 1)
      throw badRequest(`${op} takes one {field: value}`, `${t}/${op}`);
    const path = Object.keys(arg)[0]!;
    const value = arg[path];
    const get = compilePath(def, path);
    const last = path.split('.').pop() ?? '';
    const isDate = /Date(Time)?$/.test(last);
    if (STRING_OPS.has(op)) {
      if (typeof value !== 'string') throw badRequest(`${op} needs a string value`, `${t}/${op}/${path}`);
      if (isDate) throw badRequest(`${op} cannot be used on the date field ${path}`, `${t}/${op}/${path}`);
    }
    if ((op === '$in' || op === '$notIn') && !Array.isArray(value)) {
      throw badRequest(`${op} needs an array value`, `${t}/${op}/${path}`);
    }
    if ((op === '$between' || op === '$notBetween') && !(Array.isArray(value) && value.length === 2)) {
      throw badRequest(`${op} needs an array of two values`, `${t}/${op}/${path}`);
    }
    if (op === '$has' && typeof value !== 'string')
      throw badRequest('$has needs a string value', `${t}/${op}/${path}`);
    return { op, path, get, value };
  });
}

/**
 * `filterExpression`: `and` (default) or `or` combine every filter; otherwise numbered filters
 * with `and`, `or` and parentheses, `and` binding tighter (e.g. `1 and (2 or 3)`).
 */
function parseExpression(raw: unknown, count: number): Expr {
  const all = (kind: 'and' | 'or'): Expr =>
    kind === 'and'
      ? { and: Array.from({ length: count }, (_, i) => ({ n: i + 1 })) }
      : { or: Array.from({ length: count }, (_, i) => ({ n: i + 1 })) };
  if (raw === undefined || raw === null) return all('and');
  if (typeof raw !== 'string') throw badRequest('filterExpression must be a string', '/filterExpression');
  const text = raw.trim().toLowerCase();
  if (text === '' || text === 'and') return all('and');
  if (text === 'or') return all('or');
  const tokens = text.match(/\(|\)|\d+|and|or|\S+/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw badRequest(`filterExpression ${JSON.stringify(raw)} is not valid: ${why}`, '/filterExpression');
  };
  const term = (): Expr => {
    const tok = tokens[pos++];
    if (tok === '(') {
      const e = orExpr();
      if (tokens[pos++] !== ')') fail('missing )');
      return e;
    }
    if (tok && /^\d+$/.test(tok)) {
      const n = Number(tok);
      if (n < 1 || n > count) fail(`there is no filter ${n}`);
      return { n };
    }
    return fail(`unexpected ${tok ?? 'end'}`);
  };
  const andExpr = (): Expr => {
    const parts = [term()];
    while (tokens[pos] === 'and') {
      pos++;
      parts.push(term());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const orExpr = (): Expr => {
    const parts = [andExpr()];
    while (tokens[pos] === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const e = orExpr();
  if (pos !== tokens.length) fail(`unexpected ${tokens[pos]}`);
  return e;
}

type Norm = (v: unknown) => unknown;

function evaluate(e: Expr, filters: CompiledFilter[], db: SimDb, rec: { key: string }, norm: Norm): boolean {
  if ('n' in e) return test(filters[e.n - 1]!, db, rec, norm);
  if ('and' in e) return e.and.every((x) => evaluate(x, filters, db, rec, norm));
  return e.or.some((x) => evaluate(x, filters, db, rec, norm));
}

/** Numbers and numeric strings compare as numbers; everything else as strings. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === 'object' || typeof b === 'object' || typeof a === typeof b) return false;
  // A number against a numeric string, a boolean against "true": the wire is loose about these.
  return String(a) === String(b);
}

function test(f: CompiledFilter, db: SimDb, rec: { key: string }, norm: Norm): boolean {
  const raw = f.get(db, rec);
  // A path through a list (e.g. roles.id) matches when any element matches.
  const values = Array.isArray(raw) && f.op !== '$has' ? raw : [raw];
  const want = Array.isArray(f.value) ? f.value.map(norm) : norm(f.value);
  const one = (v: unknown): boolean => {
    const x = norm(v);
    switch (f.op) {
      case '$eq':
        return equal(x, want);
      case '$ne':
        return !equal(x, want);
      case '$lt':
        return x !== null && compare(x, want) < 0;
      case '$lte':
        return x !== null && compare(x, want) <= 0;
      case '$gt':
        return x !== null && compare(x, want) > 0;
      case '$gte':
        return x !== null && compare(x, want) >= 0;
      case '$in':
        return (want as unknown[]).some((w) => equal(x, w));
      case '$notIn':
        return !(want as unknown[]).some((w) => equal(x, w));
      case '$between': {
        const [lo, hi] = want as unknown[];
        return x !== null && compare(x, lo) >= 0 && compare(x, hi) <= 0;
      }
      case '$notBetween': {
        const [lo, hi] = want as unknown[];
        return x === null || compare(x, lo) < 0 || compare(x, hi) > 0;
      }
      case '$contains':
        return typeof x === 'string' && x.includes(want as string);
      case '$notContains':
        return typeof x !== 'string' || !x.includes(want as string);
      case '$startsWith':
        return typeof x === 'string' && x.startsWith(want as string);
      case '$notStartsWith':
        return typeof x !== 'string' || !x.startsWith(want as string);
      case '$endsWith':
        return typeof x === 'string' && x.endsWith(want as string);
      case '$notEndsWith':
        return typeof x !== 'string' || !x.endsWith(want as string);
      case '$has':
        return Array.isArray(v) && v.some((item) => equal(norm(item), want));
    }
  };
  const negative = f.op.startsWith('$not') || f.op === '$ne';
  return negative ? values.every(one) : values.some(one);
}

/**
 * When every filter must hold and one of them is `$eq`/`$in` on an indexed path, start from the
 * index instead of scanning the table (the provider reads one user's memberships this way).
 */
function indexCandidates(
  db: SimDb,
  def: ObjectDef,
  filters: CompiledFilter[],
  expr: Expr,
): Array<{ key: string }> | undefined {
  const conjunctive = 'and' in expr ? expr.and.every((x) => 'n' in x) : 'n' in expr;
  if (!conjunctive) return undefined;
  const table = db.table(def.table as TableName);
  for (const f of filters) {
    if (f.op !== '$eq' && f.op !== '$in') continue;
    const index = def.indexed[f.path];
    if (!index) continue;
    const values = (f.op === '$in' ? (f.value as unknown[]) : [f.value]).filter(
      (v) => typeof v === 'string' || typeof v === 'number',
    );
    if (values.length !== (f.op === '$in' ? (f.value as unknown[]).length : 1)) continue;
    const out = new Map<string, { key: string }>();
    for (const v of values) {
      const s = String(v);
      if (index === 'key') {
        const r = table.get(s);
        if (r) out.set(r.key, r);
      } else {
        for (const r of table.find(index, index === 'id' ? s.toLowerCase() : s)) out.set(r.key, r);
      }
    }
    return [...out.values()];
  }
  return undefined;
}

function compileOrder(def: ObjectDef, raw: unknown): Array<{ get: Getter; desc: boolean }> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('orderBy must be an array', '/orderBy');
  return raw.map((o, i) => {
    if (!isObject(o) || Object.keys(o).length !== 1)
      throw badRequest('each orderBy entry must be {field: "asc"|"desc"}', `/orderBy/${i}`);
    const path = Object.keys(o)[0]!;
    const dir = o[path];
    if (dir !== 'asc' && dir !== 'desc')
      throw badRequest(`orderBy direction must be asc or desc (got ${JSON.stringify(dir)})`, `/orderBy/${i}`);
    return { get: compilePath(def, path), desc: dir === 'desc' };
  });
}

/** Sort by `orderBy`, then by key (number) so pages never overlap or skip rows. */
function sortRows(
  db: SimDb,
  rows: Array<{ key: string }>,
  order: Array<{ get: Getter; desc: boolean }>,
): void {
  if (order.length === 0) {
    // Tables keep insertion order, which is key order unless a rollback re-inserted a record.
    let sorted = true;
    for (let i = 1; i < rows.length && sorted; i++) sorted = Number(rows[i - 1]!.key) < Number(rows[i]!.key);
    if (sorted) return;
    rows.sort((a, b) => Number(a.key) - Number(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return;
  }
  const decorated = rows.map((r) => ({ r, v: order.map((o) => o.get(db, r)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const x = a.v[i];
      const y = b.v[i];
      let c: number;
      if (x === null || x === undefined) c = y === null || y === undefined ? 0 : 1;
      else if (y === null || y === undefined) c = -1;
      else c = compare(x, y);
      if (c !== 0) return order[i]!.desc ? -c : c;
    }
    return Number(a.r.key) - Number(b.r.key);
  });
  for (let i = 0; i < rows.length; i++) rows[i] = decorated[i]!.r;
}
