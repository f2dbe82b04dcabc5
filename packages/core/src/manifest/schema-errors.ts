import type { ErrorObject } from 'ajv/dist/2020.js';
import { childPointer, dottedPath } from './pointer.js';
import { didYouMean } from './suggest.js';

/** One schema violation, said for a person, and where to show it. */
export interface SchemaProblem {
  /** JSON pointer from the document root (the validated value's pointer prefix included). */
  pointer: string;
  /** Show the key of the entry at `pointer` (an unknown field, a missing one's parent) or its value. */
  at: 'key' | 'value';
  message: string;
}

/** An ajv error, or one made here to stand for a whole failed `anyOf`/`oneOf`. */
interface Issue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
  message?: string;
  /** Set on made-up issues: the message after the field's path. */
  tail?: string;
}

/** Keywords whose failure means the value had the branch's type, and failed on its contents. */
const CONTENT_KEYWORDS = new Set([
  'required',
  'additionalProperties',
  'unevaluatedProperties',
  'dependentRequired',
  'dependentSchemas',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'unevaluatedItems',
]);

/**
 * Turn ajv's errors (`allErrors: true`, `verbose: true`) into one problem per mistake, with the
 * message a person needs ("missing required field spec.email", "unknown field spec.foo",
 * "spec.userType must be one of: …").
 *
 * ajv reports every failed branch of an `anyOf`/`oneOf` plus the combinator itself, and an `if`
 * beside its `then`; printed as they come that is several lines for one mistake. Here a failed
 * combinator becomes the errors of the branch the value was meant for (the one whose type it has,
 * with the fewest errors), or, when it fits no branch at all, one line listing the allowed forms.
 * `prefix` is the pointer of the validated value in the document (e.g. `/spec`).
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], prefix: string): SchemaProblem[] {
  const issues: Issue[] = [];
  for (const e of errors as readonly Issue[]) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches: Issue[] = [];
      while (issues.length > 0 && belongsTo(issues[issues.length - 1]!, e)) branches.unshift(issues.pop()!);
      issues.push(...settle(e, branches));
    } else if (e.keyword === 'if') {
      // "must match then schema": the `then`/`else` errors reported beside it say what is wrong.
    } else issues.push(e);
  }
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const issue of issues) {
    const p = describe(issue, prefix);
    const k = `${p.pointer}\u0000${p.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

/**
 * Whether `issue`, reported before combinator `c`, came from one of its branches: ajv reports a
 * combinator's branch errors right before it. A branch reached through `$ref` has the referenced
 * schema's path (`#/$defs/…`), not the combinator's.
 */
function belongsTo(issue: Issue, c: Issue): boolean {
  const inside = issue.instancePath === c.instancePath || issue.instancePath.startsWith(`${c.instancePath}/`);
  if (!inside) return false;
  if (issue.schemaPath.startsWith(`${c.schemaPath}/`)) return true;
  const parent = c.schemaPath.slice(0, c.schemaPath.lastIndexOf('/'));
  return !issue.schemaPath.startsWith(`${parent}/`) || /\/(\$defs|definitions)\//.test(issue.schemaPath);
}

function settle(c: Issue, branchIssues: Issue[]): Issue[] {
  if (c.keyword === 'oneOf' && Array.isArray(c.params.passingSchemas)) {
    return [{ ...c, tail: 'matches more than one of the allowed forms; make it match exactly one' }];
  }
  const byBranch = new Map<number, Issue[]>();
  for (const issue of branchIssues) {
    const m = new RegExp(`^${escapeRegExp(c.schemaPath)}/(\\d+)/`).exec(issue.schemaPath);
    const i = m ? Number(m[1]) : -1;
    byBranch.set(i, [...(byBranch.get(i) ?? []), issue]);
  }
  // The branch the value was written for: it has the branch's type and fails only on contents.
  let best: Issue[] | undefined;
  for (const [, list] of [...byBranch].sort(([a], [b]) => a - b)) {
    const shaped = list.every((x) => x.instancePath !== c.instancePath || CONTENT_KEYWORDS.has(x.keyword));
    if (shaped && (!best || list.length < best.length)) best = list;
  }
  if (best) return best;
  const forms = Array.isArray(c.schema) ? c.schema.map(summary) : [];
  const unique = [...new Set(forms)];
  const tail =
    unique.length > 0 && !unique.includes(undefined)
      ? `must be one of: ${unique.join('; ')}`
      : 'does not match any of the allowed forms';
  return [{ ...c, tail }];
}

/** A short description of what a schema accepts, for "must be one of: …". */
function summary(schema: unknown): string | undefined {
  if (schema === true) return 'anything';
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Record<string, unknown>;
  if ('const' in s) return show(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(show).join(', ');
  const type = Array.isArray(s.type)
    ? s.type.map(String).join(',')
    : typeof s.type === 'string'
      ? s.type
      : '';
  if (type) {
    const what = article(type);
    if (typeof s.pattern === 'string') return `${what} matching ${s.pattern}`;
    if (typeof s.format === 'string') return `${what} in ${s.format} format`;
    if (type === 'object' && Array.isArray(s.required) && s.required.length > 0) {
      return `an object with ${s.required.map(String).join(', ')}`;
    }
    return what;
  }
  if (typeof s.description === 'string') return s.description.replace(/\.$/, '');
  return undefined;
}

function describe(e: Issue, prefix: string): SchemaProblem {
  const pointer = `${prefix}${e.instancePath}`;
  const at = (p: string, text: string, kind: 'key' | 'value' = 'value'): SchemaProblem => ({
    pointer: p,
    at: kind,
    message: text,
  });
  const w = where(pointer);
  if (e.tail) return at(pointer, `${w} ${e.tail}`);
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      // Shown at the object that lacks the field: the field itself has no line.
      return at(
        pointer,
        `missing required field ${dottedPath(childPointer(pointer, String(p.missingProperty)))}`,
        'key',
      );
    case 'dependentRequired':
      return at(
        pointer,
        `missing field ${dottedPath(childPointer(pointer, String(p.missingProperty)))}, required when ${dottedPath(childPointer(pointer, String(p.property)))} is set`,
        'key',
      );
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const field = childPointer(pointer, String(name));
      const known = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      return at(field, `unknown field ${dottedPath(field)}${didYouMean(name, known)}`, 'key');
    }
    case 'false schema':
      return at(pointer, `${w} is not allowed here`, 'key');
    case 'enum':
      return at(pointer, `${w} must be one of: ${(p.allowedValues as unknown[]).map(show).join(', ')}`);
    case 'const':
      return at(pointer, `${w} must be ${show(p.allowedValue)}`);
    case 'type':
      return at(pointer, `${w} must be ${article(String(p.type))}`);
    case 'pattern':
      return at(pointer, `${w} must match ${String(p.pattern)}`);
    case 'format':
      return at(pointer, `${w} must be a valid ${String(p.format)}`);
    case 'minLength':
      return at(
        pointer,
        p.limit === 1 ? `${w} must not be empty` : `${w} must be at least ${p.limit} characters`,
      );
    case 'maxLength':
      return at(pointer, `${w} must be at most ${p.limit} characters`);
    case 'minItems':
      return at(
        pointer,
        p.limit === 1 ? `${w} must not be empty` : `${w} must have at least ${p.limit} items`,
      );
    case 'maxItems':
      return at(pointer, `${w} must have at most ${p.limit} items`);
    case 'uniqueItems':
      return at(pointer, `${w} must not repeat items (items ${p.j} and ${p.i} are the same)`);
    case 'not':
      return at(pointer, `${w} must not be ${summary(e.schema) ?? 'this'}`);
    default:
      return at(pointer, `${w} ${e.message ?? 'is invalid'}`);
  }
}

function where(pointer: string): string {
  return dottedPath(pointer) || 'the document';
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function article(type: string): string {
  return type
    .split(',')
    .map((t) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
