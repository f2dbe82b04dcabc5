import { type Filter, keyOf, matches, parseFilter, splitUrn } from './filter.js';
import { invalidPath, invalidValue, mutability, noTarget } from './scim-error.js';

/** How the simulator knows a resource type's attributes. */
export interface ResourceRules {
  /** Lower-case names of multi-valued attributes. */
  multi: ReadonlySet<string>;
  /** Lower-case names a client may not write (RFC 7643 `readOnly`). */
  readOnly: ReadonlySet<string>;
  /** Lower-case names a PATCH may not remove. */
  required: ReadonlySet<string>;
  /** Lower-case names that cannot change once set (RFC 7643 `immutable`). */
  immutable: ReadonlySet<string>;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Target {
  /** The object holding the attribute (the resource or an extension's sub-object). */
  holder: Obj;
  attr: string;
  filter?: Filter;
  sub?: string;
}

/** Resolve a PATCH `path` (RFC 7644 §3.5.2: `attrPath` or `valuePath[.subAttr]`). */
function target(resource: Obj, path: string, rules: ResourceRules, create: boolean): Target {
  const m = /^([^[\]]+?)(?:\[(.*)\])?(?:\.([A-Za-z][\w$-]*))?$/.exec(path.trim());
  if (!m) throw invalidPath(`${path} is not an attribute path`);
  const [, head, filterText, after] = m;
  const { urn, attr: full } = splitUrn(head!);
  let holder = resource;
  if (urn !== undefined) {
    const k = keyOf(resource, urn);
    if (k === undefined) {
      if (!create) return { holder: {}, attr: full };
      holder = {};
      resource[urn] = holder;
      const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
      if (!schemas.includes(urn)) resource.schemas = [...schemas, urn];
    } else holder = resource[k] as Obj;
  }
  const [attr, dotted] = full.split('.', 2) as [string, string | undefined];
  if (filterText !== undefined && dotted !== undefined) throw invalidPath(`${path} is not an attribute path`);
  if (rules.readOnly.has(attr.toLowerCase())) throw mutability(`${attr} is readOnly`);
  return {
    holder,
    attr: keyOf(holder, attr) ?? attr,
    ...(filterText !== undefined ? { filter: parseFilter(filterText) } : {}),
    ...(after !== undefined || dotted !== undefined ? { sub: (after ?? dotted)! } : {}),
  };
}

/** Add `value` to a multi-valued list, leaving out what is there already (a no-op add succeeds). */
function appendTo(list: unknown[], value: unknown): unknown[] {
  const add = Array.isArray(value) ? value : [value];
  const out = [...list];
  for (const v of add) {
    const dup = out.some((x) =>
      isObject(x) && isObject(v) && 'value' in v
        ? same(x.value, v.value) && (x.type ?? null) === (v.type ?? null)
        : same(x, v),
    );
    if (!dup) out.push(v);
  }
  // RFC 7644 §3.5.2: one new `primary: true` makes the others not primary.
  const primary = add.find((v) => isObject(v) && v.primary === true);
  return primary
    ? out.map((x) => (isObject(x) && x !== primary && x.primary === true ? { ...x, primary: false } : x))
    : out;
}

function setAttr(
  holder: Obj,
  name: string,
  value: unknown,
  op: 'add' | 'replace',
  rules: ResourceRules,
): void {
  const key = keyOf(holder, name) ?? name;
  const lower = name.toLowerCase();
  if (rules.readOnly.has(lower)) throw mutability(`${name} is readOnly`);
  const prior = holder[key];
  if (rules.immutable.has(lower) && prior !== undefined && !same(prior, value))
    throw mutability(`${name} is immutable`);
  if (rules.multi.has(lower)) {
    holder[key] = op === 'add' ? appendTo(Array.isArray(prior) ? prior : [], value) : appendTo([], value);
  } else if (isObject(prior) && isObject(value)) {
    holder[key] = { ...prior, ...value };
  } else holder[key] = value;
}

/** Apply one operation to `resource` in place. */
function applyOne(resource: Obj, raw: unknown, rules: ResourceRules): void {
  if (!isObject(raw)) throw invalidValue('an operation is not an object');
  const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
  if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalidValue(`unknown op ${String(raw.op)}`);
  const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path : undefined;
  if (path === undefined) {
    if (op === 'remove') throw noTarget('remove needs a path');
    if (!isObject(raw.value)) throw invalidValue(`${op} without a path needs an object value`);
    for (const [k, v] of Object.entries(raw.value)) {
      if (k.toLowerCase().startsWith('urn:') && isObject(v)) {
        for (const [ek, ev] of Object.entries(v))
          applyOne(resource, { op, path: `${k}:${ek}`, value: ev }, rules);
      } else if (k !== 'schemas') setAttr(resource, k, v, op, rules);
    }
    return;
  }
  if (op !== 'remove' && raw.value === undefined) throw invalidValue(`${op} needs a value`);
  const t = target(resource, path, rules, op !== 'remove');
  const lower = t.attr.toLowerCase();
  if (op === 'remove') {
    if (t.filter === undefined && t.sub === undefined) {
      if (rules.required.has(lower) || rules.immutable.has(lower))
        throw mutability(`${t.attr} cannot be removed`);
      delete t.holder[t.attr];
      return;
    }
    const list = t.holder[t.attr];
    if (t.filter !== undefined) {
      if (!Array.isArray(list)) return;
      const kept = list.filter((x) => !(isObject(x) && matches(x, t.filter!)));
      if (t.sub === undefined) t.holder[t.attr] = kept;
      else for (const x of list) if (isObject(x) && matches(x, t.filter)) delete x[keyOf(x, t.sub) ?? t.sub];
      return;
    }
    if (isObject(list)) delete list[keyOf(list, t.sub!) ?? t.sub!];
    return;
  }
  if (t.filter !== undefined) {
    const list = t.holder[t.attr];
    const hits = Array.isArray(list) ? list.filter((x) => isObject(x) && matches(x, t.filter!)) : [];
    if (hits.length === 0) throw noTarget(`${path} matches no value`);
    for (const x of hits as Obj[]) {
      if (t.sub !== undefined) x[keyOf(x, t.sub) ?? t.sub] = raw.value;
      else if (isObject(raw.value)) Object.assign(x, raw.value);
    }
    return;
  }
  if (t.sub !== undefined) {
    const inner = isObject(t.holder[t.attr]) ? (t.holder[t.attr] as Obj) : {};
    inner[keyOf(inner, t.sub) ?? t.sub] = raw.value;
    t.holder[t.attr] = inner;
    return;
  }
  setAttr(t.holder, t.attr, raw.value, op, rules);
}

/**
 * Apply a PatchOp body to a copy of `resource`: all operations in order, or none (RFC 7644 §3.5.2:
 * atomic). Returns the patched copy.
 */
export function applyPatch(resource: Obj, body: unknown, rules: ResourceRules): Obj {
  if (!isObject(body) || !Array.isArray(body.Operations ?? body.operations))
    throw invalidValue('a PATCH body needs Operations');
  const copy = structuredClone(resource);
  for (const op of (body.Operations ?? body.operations) as unknown[]) applyOne(copy, op, rules);
  return copy;
}
