import { invalidFilter } from './scim-error.js';

/** A parsed filter (RFC 7644 §3.4.2.2). */
export type Filter =
  | { t: 'and' | 'or'; left: Filter; right: Filter }
  | { t: 'not'; f: Filter }
  | { t: 'cmp'; path: string; op: string; value: unknown }
  | { t: 'pr'; path: string }
  | { t: 'vp'; path: string; f: Filter };

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
/** Attributes compared exactly (RFC 7643 §3.1, §4.2: ids and `externalId`); all others ignore case. */
const CASE_EXACT = new Set(['id', 'externalid', 'members.value', 'groups.value']);

type Token = { k: 'punct'; v: string } | { k: 'str'; v: string } | { k: 'word'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if ('()[]'.includes(c)) {
      out.push({ k: 'punct', v: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalidFilter('an unterminated string in the filter');
      try {
        out.push({ k: 'str', v: JSON.parse(text.slice(i, j + 1)) as string });
      } catch {
        throw invalidFilter('a string with a bad escape in the filter');
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()[\]"]/.test(text[j]!)) j++;
      out.push({ k: 'word', v: text.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Parse a filter; anything outside the grammar is 400 `invalidFilter`. */
export function parseFilter(text: string): Filter {
  const toks = tokenize(text);
  let p = 0;
  const peekWord = () => (toks[p]?.k === 'word' ? toks[p]!.v.toLowerCase() : undefined);
  const expect = (v: string) => {
    const t = toks[p++];
    if (t?.k !== 'punct' || t.v !== v) throw invalidFilter(`expected "${v}" in the filter`);
  };
  const orExpr = (): Filter => {
    let left = andExpr();
    while (peekWord() === 'or') {
      p++;
      left = { t: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Filter => {
    let left = unary();
    while (peekWord() === 'and') {
      p++;
      left = { t: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Filter => {
    const t = toks[p];
    if (peekWord() === 'not') {
      p++;
      expect('(');
      const f = orExpr();
      expect(')');
      return { t: 'not', f };
    }
    if (t?.k === 'punct' && t.v === '(') {
      p++;
      const f = orExpr();
      expect(')');
      return f;
    }
    if (t?.k !== 'word') throw invalidFilter('expected an attribute in the filter');
    p++;
    const path = t.v;
    const next = toks[p];
    if (next?.k === 'punct' && next.v === '[') {
      p++;
      const f = orExpr();
      expect(']');
      return { t: 'vp', path, f };
    }
    const op = peekWord();
    if (op === 'pr') {
      p++;
      return { t: 'pr', path };
    }
    if (op === undefined || !OPS.has(op))
      throw invalidFilter(`unknown operator ${next ? JSON.stringify(next.v) : 'at the end'}`);
    p++;
    const v = toks[p++];
    if (!v) throw invalidFilter(`${path} ${op} needs a value`);
    return { t: 'cmp', path, op, value: v.k === 'str' ? v.v : literal(v.v) };
  };
  const f = orExpr();
  if (p !== toks.length) throw invalidFilter('unexpected text after the filter');
  return f;
}

function literal(word: string): unknown {
  const w = word.toLowerCase();
  if (w === 'true') return true;
  if (w === 'false') return false;
  if (w === 'null') return null;
  const n = Number(word);
  if (word !== '' && Number.isFinite(n)) return n;
  throw invalidFilter(`${word} is not a JSON value`);
}

/** A key of `obj` matching `name` regardless of case (SCIM attribute names are case-insensitive). */
export function keyOf(obj: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** Split `urn:…:Schema:attr.sub` into the extension URN (if any) and the attribute path. */
export function splitUrn(path: string): { urn?: string; attr: string } {
  if (!path.toLowerCase().startsWith('urn:')) return { attr: path };
  const i = path.lastIndexOf(':');
  return { urn: path.slice(0, i), attr: path.slice(i + 1) };
}

/** The values an attribute path reaches in `obj` (flattened through multi-valued attributes). */
export function valuesAt(obj: Record<string, unknown>, path: string): unknown[] {
  const { urn, attr } = splitUrn(path);
  let roots: unknown[] = [obj];
  if (urn !== undefined) {
    const k = keyOf(obj, urn);
    roots = k ? [obj[k]] : [];
  }
  for (const part of attr.split('.')) {
    const next: unknown[] = [];
    for (const r of roots.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (!r || typeof r !== 'object') continue;
      const k = keyOf(r as Record<string, unknown>, part);
      if (k !== undefined) next.push((r as Record<string, unknown>)[k]);
    }
    roots = next;
  }
  return roots.flatMap((x) => (Array.isArray(x) ? x : [x])).filter((x) => x !== undefined && x !== null);
}

/** Whether `obj` matches `f`; `prefix` names the multi-valued attribute a valuePath filter runs inside. */
export function matches(obj: Record<string, unknown>, f: Filter, prefix = ''): boolean {
  switch (f.t) {
    case 'and':
      return matches(obj, f.left, prefix) && matches(obj, f.right, prefix);
    case 'or':
      return matches(obj, f.left, prefix) || matches(obj, f.right, prefix);
    case 'not':
      return !matches(obj, f.f, prefix);
    case 'pr':
      return valuesAt(obj, f.path).some((v) => v !== '' && !(Array.isArray(v) && v.length === 0));
    case 'vp':
      return valuesAt(obj, f.path).some(
        (v) => !!v && typeof v === 'object' && matches(v as Record<string, unknown>, f.f, `${f.path}.`),
      );
    case 'cmp': {
      const exact = CASE_EXACT.has(`${prefix}${splitUrn(f.path).attr}`.toLowerCase());
      return valuesAt(obj, f.path).some((v) => compare(v, f.op, f.value, exact));
    }
  }
}

function compare(actual: unknown, op: string, expected: unknown, exact: boolean): boolean {
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    if (!['eq', 'ne'].includes(op)) throw invalidFilter(`${op} does not apply to a boolean`);
    return op === 'eq' ? actual === expected : actual !== expected;
  }
  const fold = (v: unknown) => (typeof v === 'string' && !exact ? v.toLowerCase() : v);
  const a = fold(actual);
  const e = fold(expected);
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'sw':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ew':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    default: {
      if (typeof a !== typeof e || (typeof a !== 'string' && typeof a !== 'number')) return false;
      const [x, y] = [a as string | number, e as string | number];
      return op === 'gt' ? x > y : op === 'lt' ? x < y : op === 'ge' ? x >= y : x <= y;
    }
  }
}
