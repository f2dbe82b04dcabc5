import type { Diagnostic } from '../diagnostics.js';
import { addressOf, PROJECT_KINDS } from '../manifest/identity.js';
import type { ParsedDocument } from '../manifest/parse.js';
import { isPlainObject } from '../manifest/plain-data.js';
import { childPointer } from '../manifest/pointer.js';
import { type Deviation, isDeviationDocument, mergeSpec, readDeviation } from './deviation.js';
import { matchesLabels } from './label-selector.js';
import type { Fleet, TenantSource } from './load-fleet.js';
import { type Overlay, OverlaySourceMap } from './overlay-source-map.js';
import { fillPlaceholders, type TenantVariable } from './placeholders.js';

/** A deviation as a tenant's results report it. */
export interface DeviationSummary {
  /** Address of the baseline resource it changes or excludes. */
  address: string;
  exclude: boolean;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  file: string;
  line: number;
}

/** One tenant's documents, derived in memory from the baseline and the tenant's directory. */
export interface TenantDocuments {
  tenant: TenantSource;
  /** What the tenant's project is loaded from (core's pipeline validates them as any project). */
  parsed: ParsedDocument[];
  files: string[];
  /** Baseline resources that apply to this tenant (its labels match their `metadata.tenants`), by address. */
  applicable: string[];
  /** Per applicable address, the baseline document's `metadata.name` as written (placeholders in). */
  baselineNames: Record<string, string>;
  /** Baseline resources a `metadata.tenants` selector leaves out for this tenant. */
  skipped: string[];
  deviations: DeviationSummary[];
  diagnostics: Diagnostic[];
}

interface Derived {
  doc: ParsedDocument;
  kind: string;
  rawName: string;
  name: string;
  provider?: string;
  overlays: Overlay[];
}

/**
 * The tenant's documents: each baseline document whose `metadata.tenants` selector matches the
 * tenant (the selector removed), with `${tenant.NAME}` filled, the tenant's Provider settings
 * merged into the baseline's Provider documents, its deviations merged in or excluding, and its own
 * documents added. `${file:…}` paths resolve in the tenant's directory, so each tenant keeps its
 * own secrets. Every diagnostic names the line a person wrote (baseline, tenant.yaml or deviation).
 */
export function tenantDocuments(fleet: Fleet, tenant: TenantSource, now: Date): TenantDocuments {
  const diagnostics: Diagnostic[] = [];
  const variables: Record<string, TenantVariable> = { name: tenant.name, ...tenant.variables };
  const fill = (doc: ParsedDocument) => {
    const r = fillPlaceholders({
      value: doc.value,
      variables,
      positionOf: (p) => doc.map.positionOf(p),
      lineText: (line) => fleet.lineText(doc.file, line),
      tenant: tenant.name,
    });
    diagnostics.push(...r.diagnostics);
    return r.value;
  };
  const derived: Derived[] = [];
  const skipped: string[] = [];
  const applicable: string[] = [];
  const baselineNames: Record<string, string> = {};
  for (const doc of fleet.baseline) {
    if (!isPlainObject(doc.value)) {
      derived.push({ doc, kind: '', rawName: '', name: '', overlays: [] });
      continue;
    }
    const selector = selectorOf(doc, diagnostics);
    if (selector && !matchesLabels(selector, tenant.labels)) {
      // Not filled: a tenant the document does not apply to need not set its variables.
      const m = (doc.value.metadata ?? {}) as Record<string, unknown>;
      skipped.push(
        addressOf(String(doc.value.kind ?? ''), String(m.name ?? ''), m.provider as string | undefined),
      );
      continue;
    }
    const value = fill(doc) as Record<string, unknown>;
    const metadata = isPlainObject(value.metadata) ? { ...value.metadata } : undefined;
    if (metadata) delete metadata.tenants;
    const kind = String(value.kind ?? '');
    const name = String(metadata?.name ?? '');
    const provider = typeof metadata?.provider === 'string' ? metadata.provider : undefined;
    const address = addressOf(kind, name, provider);
    const rawName = String((doc.value as { metadata?: { name?: unknown } }).metadata?.name ?? '');
    if (!PROJECT_KINDS.has(kind)) {
      applicable.push(address);
      baselineNames[address] = rawName;
    }
    const entry: Derived = {
      doc: { ...doc, dir: tenant.dir, value: { ...value, ...(metadata ? { metadata } : {}) } },
      kind,
      rawName,
      name,
      ...(provider ? { provider } : {}),
      overlays: [],
    };
    if (kind === 'Provider') mergeTenantProvider(entry, tenant);
    derived.push(entry);
  }
  for (const name of Object.keys(tenant.providers)) {
    if (!derived.some((d) => d.kind === 'Provider' && d.name === name))
      diagnostics.push({
        severity: 'error',
        code: 'fleet.tenant',
        message: `the baseline has no Provider document named ${name}`,
        ...tenant.document.map.keyPositionOf(childPointer('/spec/providers', name)),
      });
  }

  const deviations: DeviationSummary[] = [];
  const own: ParsedDocument[] = [];
  const today = now.toISOString().slice(0, 10);
  for (const doc of tenant.documents) {
    if (!isDeviationDocument(doc.value)) {
      own.push({ ...doc, value: fill(doc) });
      continue;
    }
    const read = readDeviation(
      { ...doc, value: fill(doc) },
      { today, expiredSeverity: fleet.settings.expiredSeverity, tenant: tenant.name },
    );
    diagnostics.push(...read.diagnostics);
    if (!read.deviation) continue;
    const applied = applyDeviation(read.deviation, derived, diagnostics);
    if (applied)
      deviations.push({ ...summaryOf(read.deviation, applied), expired: read.deviation.expires < today });
  }

  const parsed = [
    ...(fleet.backend ? [{ ...fleet.backend, dir: tenant.dir }] : []),
    ...derived.map((d) =>
      d.overlays.length > 0 ? { ...d.doc, map: new OverlaySourceMap(d.doc.map, d.overlays) } : d.doc,
    ),
    ...own,
  ];
  return {
    tenant,
    parsed,
    files: [...(fleet.backend ? [fleet.file] : []), ...fleet.baselineFiles, ...tenant.files],
    applicable,
    baselineNames,
    skipped,
    deviations,
    diagnostics,
  };
}

/** `metadata.tenants` of a baseline document, when it has one (a mapping of label → value). */
function selectorOf(doc: ParsedDocument, diagnostics: Diagnostic[]): Record<string, string> | undefined {
  const metadata = (doc.value as { metadata?: unknown }).metadata;
  if (!isPlainObject(metadata) || metadata.tenants === undefined) return undefined;
  const sel = metadata.tenants;
  if (!isPlainObject(sel) || !Object.values(sel).every((v) => typeof v === 'string')) {
    diagnostics.push({
      severity: 'error',
      code: 'fleet.selector',
      message: 'metadata.tenants is a mapping of tenant label to value (e.g. { tier: gold })',
      ...doc.map.positionOf('/metadata/tenants'),
    });
    return undefined;
  }
  return sel as Record<string, string>;
}

/** Merge the Tenant document's settings for this Provider document into its spec. */
function mergeTenantProvider(entry: Derived, tenant: TenantSource): void {
  const settings = tenant.providers[entry.name];
  if (!settings) return;
  const value = entry.doc.value as Record<string, unknown>;
  const spec = isPlainObject(value.spec) ? value.spec : {};
  entry.doc = { ...entry.doc, value: { ...value, spec: { ...spec, ...settings } } };
  for (const key of Object.keys(settings)) {
    entry.overlays.push({
      at: childPointer('/spec', key),
      map: tenant.document.map,
      from: childPointer(childPointer('/spec/providers', entry.name), key),
    });
  }
}

/** Apply a deviation to the baseline resource it names; the address it changed, or undefined (reported). */
function applyDeviation(
  deviation: Deviation,
  derived: Derived[],
  diagnostics: Diagnostic[],
): string | undefined {
  const targets = derived.filter(
    (d) =>
      d.kind === deviation.kind &&
      (d.name === deviation.name || d.rawName === deviation.name) &&
      (deviation.provider === undefined || d.provider === deviation.provider),
  );
  const at = deviation.document.map.positionOf('/metadata/name');
  if (targets.length !== 1) {
    diagnostics.push({
      severity: 'error',
      code: 'fleet.deviation',
      message:
        targets.length === 0
          ? `no baseline ${deviation.kind} named ${deviation.name} applies to this tenant: a deviation changes or excludes a baseline resource (the tenant's own resources need no deviation)`
          : `${targets.length} baseline ${deviation.kind} documents are named ${deviation.name}: add metadata.provider`,
      ...at,
    });
    return undefined;
  }
  const target = targets[0]!;
  const address = addressOf(target.kind, target.name, target.provider);
  if (deviation.exclude) {
    derived.splice(derived.indexOf(target), 1);
    return address;
  }
  const value = target.doc.value as Record<string, unknown>;
  const merged = mergeSpec(isPlainObject(value.spec) ? value.spec : {}, deviation.spec ?? {});
  target.doc = { ...target.doc, value: { ...value, spec: merged.spec } };
  for (const p of merged.set) target.overlays.push({ at: p, map: deviation.document.map, from: p });
  return address;
}

function summaryOf(d: Deviation, address: string): Omit<DeviationSummary, 'expired'> {
  const at = d.document.map.positionOf('/deviation');
  return {
    address,
    exclude: d.exclude,
    reason: d.reason,
    owner: d.owner,
    expires: d.expires,
    file: at.file,
    line: at.line,
  };
}
