import type { Diagnostic, Severity } from '../diagnostics.js';
import type { ParsedDocument } from '../manifest/parse.js';
import { isPlainObject } from '../manifest/plain-data.js';

/** A tenant document that changes (merges into `spec`) or excludes one baseline resource. */
export interface Deviation {
  kind: string;
  /** `metadata.name` of the baseline resource (as written, or with placeholders filled). */
  name: string;
  /** `metadata.provider`, when the name alone is ambiguous. */
  provider?: string;
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`: after this day the deviation is reported as expired (it stays in force). */
  expires: string;
  exclude: boolean;
  /** The spec keys merged into the baseline resource's spec (absent when excluding). */
  spec?: Record<string, unknown>;
  document: ParsedDocument;
}

const FIELDS = ['reason', 'owner', 'expires'] as const;
const KEYS = new Set(['apiVersion', 'kind', 'metadata', 'deviation', 'spec', 'exclude']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a tenant document is a deviation (it has `deviation:` or `exclude:` at its top level). */
export function isDeviationDocument(value: unknown): boolean {
  return isPlainObject(value) && (Object.hasOwn(value, 'deviation') || Object.hasOwn(value, 'exclude'));
}

/**
 * Read a deviation document: `kind`, `metadata.name` (and optionally `provider`), `deviation:
 * {reason, owner, expires}` (each required, at the line of `deviation:` when missing), and either a
 * `spec` to merge or `exclude: true`. An expired one is kept in force and reported as
 * `fleet.deviation-expired` with `expiredSeverity`.
 */
export function readDeviation(
  doc: ParsedDocument,
  opts: { today: string; expiredSeverity: Severity; tenant: string },
): { deviation?: Deviation; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (pointer: string, message: string, key = false) =>
    diagnostics.push({
      severity: 'error',
      code: 'fleet.deviation',
      message,
      ...(key ? doc.map.keyPositionOf(pointer) : doc.map.positionOf(pointer)),
    });
  const value = doc.value as Record<string, unknown>;
  for (const k of Object.keys(value))
    if (!KEYS.has(k))
      error(
        `/${k}`,
        `unknown field ${k} in a deviation (it has kind, metadata, deviation, and spec or exclude)`,
        true,
      );
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  if (typeof value.kind !== 'string' || typeof metadata.name !== 'string')
    error('/metadata', 'a deviation names the baseline resource it changes: kind and metadata.name');
  const d = value.deviation;
  const fields: Partial<Record<(typeof FIELDS)[number], string>> = {};
  if (!isPlainObject(d)) {
    error(
      Object.hasOwn(value, 'deviation') ? '/deviation' : '/exclude',
      'a deviation must carry deviation: {reason, owner, expires}: why the tenant differs, who owns that, and until when',
      !Object.hasOwn(value, 'deviation'),
    );
  } else {
    for (const f of FIELDS) {
      const v = d[f];
      if (typeof v !== 'string' || v.trim() === '') {
        error(
          Object.hasOwn(d, f) ? `/deviation/${f}` : '/deviation',
          `the deviation has no ${f}: every deviation says why (reason), who owns it (owner) and until when (expires, YYYY-MM-DD)`,
          !Object.hasOwn(d, f),
        );
      } else fields[f] = v.trim();
    }
    if (fields.expires !== undefined && !validDate(fields.expires)) {
      error('/deviation/expires', `expires must be a date, YYYY-MM-DD (got ${fields.expires})`);
      delete fields.expires;
    }
  }
  const exclude = value.exclude === true;
  if (Object.hasOwn(value, 'exclude') && typeof value.exclude !== 'boolean')
    error('/exclude', 'exclude is true or false');
  if (exclude && value.spec !== undefined)
    error('/spec', 'a deviation either excludes the resource or merges a spec, not both', true);
  if (!exclude && !isPlainObject(value.spec))
    error(
      value.spec === undefined ? '' : '/spec',
      'a deviation merges a spec (a mapping) into the baseline resource, or has exclude: true',
    );
  if (diagnostics.length > 0) return { diagnostics };
  const deviation: Deviation = {
    kind: value.kind as string,
    name: metadata.name as string,
    ...(typeof metadata.provider === 'string' ? { provider: metadata.provider } : {}),
    reason: fields.reason!,
    owner: fields.owner!,
    expires: fields.expires!,
    exclude,
    ...(exclude ? {} : { spec: value.spec as Record<string, unknown> }),
    document: doc,
  };
  if (deviation.expires < opts.today)
    diagnostics.push({
      severity: opts.expiredSeverity,
      code: 'fleet.deviation-expired',
      message: `the deviation of tenant ${opts.tenant} from ${deviation.kind} ${deviation.name} expired on ${deviation.expires} (owner: ${deviation.owner}); it stays in force: renew it or remove it`,
      ...doc.map.positionOf('/deviation/expires'),
    });
  return { deviation, diagnostics };
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * `spec` with the deviation's spec merged in: mappings merged key by key, anything else (lists
 * included) replaced. Returns the merged spec and the pointers (under `/spec`) the deviation set.
 */
export function mergeSpec(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
  pointer = '/spec',
): { spec: Record<string, unknown>; set: string[] } {
  const out: Record<string, unknown> = { ...base };
  const set: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const at = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const current = out[k];
    if (isPlainObject(v) && isPlainObject(current)) {
      const merged = mergeSpec(current, v, at);
      out[k] = merged.spec;
      set.push(...merged.set);
    } else {
      out[k] = v;
      set.push(at);
    }
  }
  return { spec: out, set };
}
