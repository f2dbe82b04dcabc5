import { SchemaValidator } from '../manifest/schema-validator.js';
import { isRef } from '../plan/canonical.js';
import { isGuarded } from '../plan/guard-privileges.js';
import type { CheckedResource, KindDefinition, Provider, RemoteObject } from '../provider.js';

/** Longest `metadata.name` the manifest envelope accepts (a DNS label). */
const MAX_NAME = 63;

/** One manifest `roster export` writes: a resource of the exported provider. */
export interface ExportedManifest {
  kind: string;
  /** `metadata.name`: a DNS-label slug of the natural key, unique within the kind. */
  name: string;
  naturalKey: string;
  /** The object's attributes in the kind's spec shape; references as `{ ref: <metadata.name> }`. */
  spec: Record<string, unknown>;
  /**
   * Attributes the schema requires, or guarded privileges, that the system cannot report: written
   * as `null` (which the schema rejects) with a TODO comment, so the manifest cannot be planned until a person fills
   * them in, and nothing is adopted on a guess.
   */
  placeholders: string[];
}

/** What `exportManifests` makes of a provider's objects. */
export interface ExportResult {
  /** In the order of the provider's kinds, then by name. */
  manifests: ExportedManifest[];
  /** One per object or kind left out, and why (for stderr). */
  notes: ExportNote[];
}

/** An object or kind `roster export` leaves out, and why. */
export interface ExportNote {
  kind: string;
  /** One sentence, starting with the kind (and the object's natural key). */
  message: string;
}

export interface ExportInput {
  /** The Provider document's `metadata.name` (what the manifests' `metadata.provider` names). */
  providerName: string;
  provider: Provider;
  /** The Provider document's configuration (for the provider's cross-resource checks). */
  config: Record<string, unknown>;
  /** The objects listed per kind; only these kinds are exported. */
  objects: ReadonlyMap<string, readonly RemoteObject[]>;
}

/** An object that may be exported, with the name it gets. */
interface Candidate {
  kind: string;
  def: KindDefinition;
  object: RemoteObject;
  name: string;
}

/**
 * A DNS-label slug of a natural key (`WS_INVOICE_PORTAL` → `ws-invoice-portal`,
 * `staff:S-1002` → `staff-s-1002`): lowercase letters, digits and dashes, at most 63 characters;
 * `fallback` when nothing is left.
 */
export function slugOf(naturalKey: string, fallback: string): string {
  const slug = trimDashes(
    naturalKey
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
  );
  const cut = trimDashes(slug.slice(0, MAX_NAME));
  return cut === '' ? fallback : cut;
}

function trimDashes(s: string): string {
  return s.replace(/^-+/, '').replace(/-+$/, '');
}

/** `ServiceAccount` → `service-account`. */
export function kebabOf(kind: string): string {
  return kind
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * Names for the objects of one kind, deterministic whatever the order they were listed in: sorted by
 * natural key, the first of a colliding slug keeps it, the next get `-2`, `-3`, …
 */
export function assignNames(naturalKeys: readonly string[], fallback: string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const key of [...new Set(naturalKeys)].sort(compareText)) {
    const base = slugOf(key, fallback);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `-${n}`;
      name = `${trimDashes(base.slice(0, MAX_NAME - suffix.length))}${suffix}`;
    }
    used.add(name);
    out.set(key, name);
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `properties` of a kind's schema, in declaration order (undefined when it lists none). */
function schemaProperties(def: KindDefinition): string[] | undefined {
  const props = def.schema.properties;
  return props && typeof props === 'object' ? Object.keys(props) : undefined;
}

function schemaRequired(def: KindDefinition): string[] {
  const req = def.schema.required;
  return Array.isArray(req) ? req.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * Turn what a system has into manifests roster can plan (pure, no I/O).
 *
 * - A spec holds the object's attributes the kind's schema declares, in its order; never `local`
 *   attributes (roster's own, e.g. where credentials are kept), sensitive or write-only ones, nor
 *   outputs (what the object produces, not what a manifest sets).
 * - References `{ ref: <natural key> }` become `{ ref: <metadata.name of the target> }`; an object
 *   whose reference names something not exported is left out, with a note.
 * - Conflicts (objects roster cannot manage as this kind) are left out, with the provider's reason.
 * - Every manifest passes the kind's schema, its checks and the provider's cross-resource checks;
 *   an object that would not is left out with the first error (so its manifest is written by hand).
 *   Required attributes the system cannot report are placeholders (see `ExportedManifest`).
 */
export function exportManifests(input: ExportInput): ExportResult {
  const notes: ExportNote[] = [];
  const kinds = kindOrder(input.provider).filter((k) => input.objects.has(k));
  const candidates = new Map<string, Candidate>();
  const nameOf = new Map<string, Map<string, string>>();
  for (const kind of kinds) {
    const def = input.provider.kinds[kind]!;
    const manageable: RemoteObject[] = [];
    for (const object of input.objects.get(kind) ?? []) {
      if (object.conflict)
        notes.push({ kind, message: `${kind} ${object.naturalKey}: not exported: ${object.conflict}` });
      else manageable.push(object);
    }
    const names = assignNames(
      manageable.map((o) => o.naturalKey),
      kebabOf(kind),
    );
    nameOf.set(kind, names);
    for (const object of manageable) {
      const name = names.get(object.naturalKey)!;
      candidates.set(`${kind}/${name}`, { kind, def, object, name });
    }
  }

  const validator = new SchemaValidator();
  const built = new Map<string, ExportedManifest>();
  const drop = (id: string, why: string) => {
    const c = candidates.get(id)!;
    notes.push({ kind: c.kind, message: `${c.kind} ${c.object.naturalKey}: not exported: ${why}` });
    candidates.delete(id);
    built.delete(id);
  };
  // Leaving an object out may leave another's reference dangling: repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, c] of [...candidates]) {
      const result = buildSpec(c, (targetKind, key) => {
        const name = nameOf.get(targetKind)?.get(key);
        return name !== undefined && candidates.has(`${targetKind}/${name}`) ? name : undefined;
      });
      if ('problem' in result) {
        drop(id, result.problem);
        changed = true;
        continue;
      }
      const problem = validate(validator, c, result);
      if (problem) {
        drop(id, problem);
        changed = true;
        continue;
      }
      built.set(id, { kind: c.kind, name: c.name, naturalKey: c.object.naturalKey, ...result });
    }
    if (changed || !input.provider.check) continue;
    const complete = [...built].filter(([, m]) => m.placeholders.length === 0);
    const view = (m: ExportedManifest): CheckedResource => ({
      address: `${input.providerName}/${m.kind}/${m.name}`,
      kind: m.kind,
      name: m.name,
      labels: {},
      spec: m.spec,
    });
    const byAddress = new Map(complete.map(([id, m]) => [view(m).address, id]));
    const { diagnostics } = input.provider.check({
      provider: input.providerName,
      config: input.config,
      resources: complete.map(([, m]) => view(m)),
      referenced: [],
    });
    for (const d of diagnostics) {
      const id = byAddress.get(d.address);
      if (d.severity !== 'error' || id === undefined || !candidates.has(id)) continue;
      drop(id, `${d.message} [${d.code}]`);
      changed = true;
    }
  }

  const order = new Map(kinds.map((k, i) => [k, i]));
  const manifests = [...built.values()].sort(
    (a, b) => order.get(a.kind)! - order.get(b.kind)! || compareText(a.name, b.name),
  );
  return { manifests, notes };
}

/**
 * The provider's kinds with the kinds others reference first (roles and groups before the accounts
 * holding them), so an exported file reads top-down like the examples; otherwise declaration order.
 */
export function kindOrder(provider: Provider): string[] {
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (kind: string) => {
    if (out.includes(kind) || visiting.has(kind)) return;
    visiting.add(kind);
    for (const rule of Object.values(provider.kinds[kind]?.attributes ?? {}))
      if (rule.ref && rule.ref in provider.kinds) visit(rule.ref);
    out.push(kind);
  };
  for (const kind of Object.keys(provider.kinds)) visit(kind);
  return out;
}

/** The spec of one object, or why it cannot be exported. */
function buildSpec(
  c: Candidate,
  nameOfTarget: (kind: string, naturalKey: string) => string | undefined,
): { spec: Record<string, unknown>; placeholders: string[] } | { problem: string } {
  const { def, object } = c;
  const keys = schemaProperties(def) ?? Object.keys(object.attributes);
  const required = new Set(schemaRequired(def));
  const spec: Record<string, unknown> = {};
  const placeholders: string[] = [];
  for (const key of keys) {
    const rule = def.attributes[key];
    // roster's own data and secrets are never exported, whatever the system reports.
    if (rule?.local || rule?.sensitive || rule?.writeOnly) continue;
    const value = object.attributes[key];
    if (value === undefined) {
      // Kept in the schema's order, so the TODO sits where a person expects the attribute. A
      // guarded privilege the system cannot report is one too: left out, it would claim "none".
      if (required.has(key) || (isGuarded(rule) && rule.verifiable === false)) {
        spec[key] = null;
        placeholders.push(key);
      }
      continue;
    }
    if (rule?.ref) {
      const missing: string[] = [];
      const convert = (v: unknown): unknown => {
        if (!isRef(v)) return structuredClone(v);
        const name = nameOfTarget(rule.ref!, v.ref);
        if (name === undefined) {
          missing.push(v.ref);
          return v;
        }
        return { ref: name };
      };
      spec[key] = Array.isArray(value) ? value.map(convert) : convert(value);
      if (missing.length > 0)
        return {
          problem: `its ${key} refers to ${rule.ref} ${missing.join(', ')}, which is not exported`,
        };
    } else spec[key] = structuredClone(value);
  }
  return { spec, placeholders };
}

/** The first reason the manifest would be refused, or undefined when it is valid. */
function validate(
  validator: SchemaValidator,
  c: Candidate,
  built: { spec: Record<string, unknown>; placeholders: string[] },
): string | undefined {
  const check = validator.check(c.def.schema, built.spec, '/spec');
  if ('schemaError' in check) return `the ${c.kind} schema cannot be used: ${check.schemaError}`;
  if (built.placeholders.length > 0) {
    // A placeholder must stop the plan: if the schema would take it, nothing makes a person look.
    const stopped = built.placeholders.every((k) =>
      check.problems.some((p) => p.pointer === `/spec/${k}` || p.pointer.startsWith(`/spec/${k}/`)),
    );
    return stopped
      ? undefined
      : `the system does not report ${built.placeholders.join(', ')}, which the manifest must state`;
  }
  const problem = check.problems[0];
  if (problem) return `its spec does not match the ${c.kind} schema: ${problem.pointer}: ${problem.message}`;
  for (const d of c.def.check?.({ name: c.name, spec: built.spec }).diagnostics ?? []) {
    if (d.severity === 'error') return `${d.message} [${d.code}]`;
  }
  return undefined;
}
