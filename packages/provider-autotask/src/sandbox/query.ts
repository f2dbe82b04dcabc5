import { refused } from './errors.js';
import type { ResourceRec } from './records.js';
import { type FieldDef, fieldNamed } from './resources.js';

/** A field a query can name: its REST name and type. */
export interface QueryField {
  name: string;
  dataType: 'long' | 'integer' | 'string' | 'boolean' | 'datetime';
}

/** The entity a query runs on: its singular name (as Autotask's messages use it) and its fields. */
export interface QueryEntity<F extends QueryField> {
  name: string;
  fieldNamed(name: string): F | undefined;
}

/** Resources, the entity the sandbox stores. */
export const RESOURCE_ENTITY: QueryEntity<FieldDef> = { name: 'Resource', fieldNamed };

/** A parsed condition: field resolved, value checked against the field's type. */
type Cond<F extends QueryField = FieldDef> =
  | { op: 'and' | 'or'; items: Cond<F>[] }
  | { op: 'exist' | 'notExist'; field: F }
  | { op: 'in' | 'notIn'; field: F; values: unknown[] }
  | { op: CompareOp; field: F; value: unknown };

type CompareOp = 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains';

const COMPARE_OPS = new Set<string>([
  'eq',
  'noteq',
  'gt',
  'gte',
  'lt',
  'lte',
  'beginsWith',
  'endsWith',
  'contains',
]);
const MAX_OR_CONDITIONS = 500;
export const MAX_RECORDS = 500;

/** A query as the API received it: conditions, page size and the fields to return. */
export interface ParsedQuery<F extends QueryField = FieldDef> {
  filter: Cond<F>[];
  maxRecords: number;
  /** Undefined: every field. */
  includeFields?: F[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Keys of a request object by lower case: Autotask takes `Filter`, `filter`, `MaxRecords`, `maxRecords` alike. */
function lowerKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.toLowerCase()] = v;
  return out;
}

function canonicalOp(op: string): string | undefined {
  const all = ['and', 'or', 'exist', 'notExist', 'in', 'notIn', ...COMPARE_OPS];
  return all.find((o) => o.toLowerCase() === op.toLowerCase());
}

function checkScalar(f: QueryField, v: unknown, op: string): unknown {
  if (f.dataType === 'boolean') {
    // Autotask accepts only a literal true or false for booleans; null or 1 is an error.
    if (v === true || v === false) return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw refused(`Invalid value for ${f.name}: a boolean must be true or false.`);
  }
  if (f.dataType === 'long' || f.dataType === 'integer') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n))
      throw refused(`Invalid value for ${f.name}: ${JSON.stringify(v)} is not a number.`);
    if (op === 'beginsWith' || op === 'endsWith' || op === 'contains')
      throw refused(`The ${op} operator cannot be used on the numeric field ${f.name}.`);
    return n;
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw refused(`Invalid value for ${f.name}: ${JSON.stringify(v)} is not a string.`);
  return String(v);
}

function parseCond<F extends QueryField>(
  raw: unknown,
  counter: { ors: number },
  entity: QueryEntity<F>,
): Cond<F> {
  if (!isObject(raw)) throw refused('Invalid query syntax: each filter item must be an object.');
  const c = lowerKeys(raw);
  const op = typeof c.op === 'string' ? canonicalOp(c.op) : undefined;
  if (!op) throw refused(`Invalid query syntax: unknown operator ${JSON.stringify(c.op)}.`);
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(c.items) || c.items.length === 0)
      throw refused(`Invalid query syntax: the ${op} operator needs a non-empty items list.`);
    if (op === 'or') counter.ors += c.items.length;
    return { op, items: c.items.map((i) => parseCond(i, counter, entity)) };
  }
  if (c.udf === true) throw refused(`This sandbox has no user-defined fields on ${entity.name} entities.`);
  if (typeof c.field !== 'string' || c.field === '')
    throw refused(`Invalid query syntax: ${op} needs a field.`);
  const field = entity.fieldNamed(c.field);
  if (!field) throw refused(`Unable to find ${c.field} in the ${entity.name} entity.`);
  if (op === 'exist' || op === 'notExist') return { op, field };
  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(c.value)) throw refused(`Invalid query syntax: ${op} needs a list of values.`);
    return { op, field, values: c.value.map((v) => checkScalar(field, v, op)) };
  }
  if (!('value' in c)) throw refused(`Invalid query syntax: ${op} needs a value.`);
  return { op: op as CompareOp, field, value: checkScalar(field, c.value, op) };
}

/**
 * Parse a query body (`{"MaxRecords":500,"IncludeFields":[…],"Filter":[…]}`, any key case),
 * refusing what Autotask refuses: MaxRecords outside 1–500, an unknown field or operator, a
 * non-literal boolean, more than 500 OR conditions, and (a sandbox choice) an empty filter.
 */
export function parseQuery<F extends QueryField>(raw: unknown, entity: QueryEntity<F>): ParsedQuery<F> {
  if (!isObject(raw)) throw refused('The query must be a JSON object with a filter.');
  const q = lowerKeys(raw);
  let maxRecords = MAX_RECORDS;
  if (q.maxrecords !== undefined && q.maxrecords !== null) {
    const n = q.maxrecords;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_RECORDS)
      throw refused('MaxRecords must be a whole number between 1 and 500.');
    maxRecords = n;
  }
  if (!Array.isArray(q.filter) || q.filter.length === 0)
    throw refused('Invalid query syntax: a filter with at least one condition is required.');
  const counter = { ors: 0 };
  const filter = q.filter.map((c) => parseCond(c, counter, entity));
  if (counter.ors > MAX_OR_CONDITIONS)
    throw refused("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.");
  let includeFields: F[] | undefined;
  if (Array.isArray(q.includefields) && q.includefields.length > 0) {
    includeFields = [];
    for (const name of q.includefields) {
      const f = typeof name === 'string' ? entity.fieldNamed(name) : undefined;
      if (!f) throw refused(`Unable to find ${String(name)} in the ${entity.name} entity.`);
      if (!includeFields.includes(f)) includeFields.push(f);
    }
  }
  return { filter, maxRecords, ...(includeFields ? { includeFields } : {}) };
}

const lower = (v: unknown) => String(v).toLowerCase();

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  // Autotask compares text without regard to case (its database collation).
  const x = lower(a);
  const y = lower(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function holds(rec: ResourceRec, c: Cond): boolean {
  if ('items' in c)
    return c.op === 'and' ? c.items.every((i) => holds(rec, i)) : c.items.some((i) => holds(rec, i));
  const v = rec[c.field.name];
  const present = v !== null && v !== undefined && v !== '';
  switch (c.op) {
    case 'exist':
      return present;
    case 'notExist':
      return !present;
    case 'in':
      return present && c.values.some((x) => compare(v, x) === 0);
    case 'notIn':
      return !present || c.values.every((x) => compare(v, x) !== 0);
  }
  if (!present) return c.op === 'noteq';
  const d = compare(v, c.value);
  switch (c.op) {
    case 'eq':
      return d === 0;
    case 'noteq':
      return d !== 0;
    case 'gt':
      return d > 0;
    case 'gte':
      return d >= 0;
    case 'lt':
      return d < 0;
    case 'lte':
      return d <= 0;
    case 'beginsWith':
      return lower(v).startsWith(lower(c.value));
    case 'endsWith':
      return lower(v).endsWith(lower(c.value));
    case 'contains':
      return lower(v).includes(lower(c.value));
  }
}

/** Records matching every top-level condition, by ascending id. */
export function matching(records: Iterable<ResourceRec>, q: ParsedQuery): ResourceRec[] {
  const out: ResourceRec[] = [];
  for (const r of records) if (q.filter.every((c) => holds(r, c))) out.push(r);
  return out.sort((a, b) => a.id - b.id);
}

/** The paging token of a next page, shaped like Autotask's (`{"pageSize","previousIds","nextIds"}`). */
export interface PagingToken {
  pageSize: number;
  previousIds: number[];
  nextIds: number[];
}

export function parsePaging(raw: string | null): PagingToken {
  let p: unknown;
  try {
    p = raw ? JSON.parse(raw) : undefined;
  } catch {
    p = undefined;
  }
  const t = p as Partial<PagingToken> | undefined;
  if (!t || !Array.isArray(t.nextIds) || typeof t.nextIds[0] !== 'number' || typeof t.pageSize !== 'number')
    throw refused('Invalid paging information.');
  return {
    pageSize: t.pageSize,
    previousIds: Array.isArray(t.previousIds) ? t.previousIds : [],
    nextIds: t.nextIds,
  };
}

/**
 * One page: the records from `startId` on (ascending ids), and where the next page starts.
 * Result sets larger than a page need `id` among the returned fields, as Autotask requires.
 */
export function page(
  all: ResourceRec[],
  q: ParsedQuery<QueryField>,
  pageSize: number,
  startId: number | undefined,
): { items: ResourceRec[]; nextId: number | undefined; firstId: number | undefined } {
  let from = 0;
  if (startId !== undefined) {
    from = all.findIndex((r) => r.id >= startId);
    if (from < 0) from = all.length;
  }
  const items = all.slice(from, from + pageSize);
  const next = all[from + pageSize];
  if (next && q.includeFields && !q.includeFields.some((f) => f.name === 'id'))
    throw refused('The query returns more than one page: include id in IncludeFields.');
  return { items, nextId: next?.id, firstId: items[0]?.id };
}
