import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import { findManifestFiles } from '../manifest/find-files.js';
import { type ParsedDocument, parseManifestFile } from '../manifest/parse.js';
import { isPlainObject } from '../manifest/plain-data.js';
import { SchemaValidator } from '../manifest/schema-validator.js';
import { validateAgainst } from '../manifest/validate.js';
import { FLEET_SCHEMA, type FleetSettings, fleetSettingsOf, TENANT_SCHEMA } from './fleet-document.js';
import { OverlaySourceMap } from './overlay-source-map.js';
import type { TenantVariable } from './placeholders.js';

/** One tenant of a fleet, as its directory holds it. */
export interface TenantSource {
  name: string;
  /** Absolute path of the tenant's directory. */
  dir: string;
  labels: Record<string, string>;
  variables: Record<string, TenantVariable>;
  /** Per baseline Provider name: the spec keys the tenant sets. */
  providers: Record<string, Record<string, unknown>>;
  /** The `kind: Tenant` document. */
  document: ParsedDocument;
  /** The tenant's other documents: its own resources and its deviations. */
  documents: ParsedDocument[];
  files: string[];
}

/** A fleet directory, read and parsed once: the baseline and every tenant, not yet combined. */
export interface Fleet {
  /** Absolute path of the fleet directory (holds fleet.yaml and `.roster/`). */
  dir: string;
  cwd: string;
  settings: FleetSettings;
  /** `fleet.yaml` as messages name it. */
  file: string;
  baseline: ParsedDocument[];
  baselineFiles: string[];
  /** A Backend document made from the Fleet's `spec.backend`, added to every tenant. */
  backend?: ParsedDocument;
  /** Sorted by name. */
  tenants: TenantSource[];
  diagnostics: Diagnostic[];
  /** The text of a line of a file read (1-based), to place a message at its column. */
  lineText(file: string, line: number): string | undefined;
}

const validator = new SchemaValidator();

/**
 * Read a fleet directory: `fleet.yaml` (kind: Fleet), the baseline's manifests, and each tenant
 * directory (one `kind: Tenant` document, named as its directory, and the tenant's other
 * documents). Parsed with positions once; nothing is thrown for bad input.
 */
export async function loadFleet(req: { dir: string; cwd: string }): Promise<Fleet> {
  const dir = path.resolve(req.cwd, req.dir);
  const diagnostics: Diagnostic[] = [];
  const fleetFile = path.join(dir, 'fleet.yaml');
  const display = path.relative(req.cwd, fleetFile) || fleetFile;
  if (!existsSync(fleetFile)) {
    // Not a fleet at all (a project directory, a typo): one line, not one per missing part.
    const empty: Fleet = {
      dir,
      cwd: req.cwd,
      settings: fleetSettingsOf({ metadata: { name: path.basename(dir) } }),
      file: display,
      baseline: [],
      baselineFiles: [],
      tenants: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'fleet.document',
          message: `no fleet.yaml in ${path.relative(req.cwd, dir) || '.'}: a fleet directory holds fleet.yaml (kind: Fleet), baseline/ and tenants/<name>/tenant.yaml (roster fleet --help)`,
          file: display,
        },
      ],
      lineText: () => undefined,
    };
    return empty;
  }
  const parsedFleet = await parseManifestFile({ path: fleetFile, display });
  diagnostics.push(...parsedFleet.diagnostics);
  const fleetDoc = parsedFleet.documents.find((d) => isPlainObject(d.value) && d.value.kind === 'Fleet');
  let settings: FleetSettings = fleetSettingsOf({ metadata: { name: path.basename(dir) } });
  let backend: ParsedDocument | undefined;
  if (!fleetDoc) {
    if (parsedFleet.diagnostics.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'fleet.document',
        message: 'fleet.yaml holds no kind: Fleet document',
        file: display,
        line: 1,
        column: 1,
      });
  } else {
    const problems = validateAgainst(
      validator,
      FLEET_SCHEMA,
      fleetDoc.value,
      '',
      fleetDoc.map,
      'the Fleet schema',
    );
    diagnostics.push(...problems.map((p) => ({ ...p, code: 'fleet.document' })));
    if (problems.length === 0) {
      settings = fleetSettingsOf(fleetDoc.value as Record<string, unknown>);
      backend = backendDocument(fleetDoc);
    }
  }

  const baselineDir = path.resolve(dir, settings.baseline);
  const baseline = await readDir(baselineDir, req.cwd, diagnostics);
  const tenants: TenantSource[] = [];
  const tenantsDir = path.resolve(dir, settings.tenants);
  let entries: string[] = [];
  try {
    entries = (await readdir(tenantsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    diagnostics.push({
      severity: 'error',
      code: 'fleet.document',
      message: `cannot read the tenants directory ${path.relative(req.cwd, tenantsDir) || tenantsDir}`,
      ...(fleetDoc ? fleetDoc.map.positionOf('/spec/tenants') : { file: display, line: 1, column: 1 }),
    });
  }
  for (const name of entries) {
    const tenant = await readTenant(path.join(tenantsDir, name), name, req.cwd, diagnostics);
    if (tenant) tenants.push(tenant);
  }
  for (const [i, canary] of settings.canary.entries()) {
    if (fleetDoc && !tenants.some((t) => t.name === canary))
      diagnostics.push({
        severity: 'error',
        code: 'fleet.document',
        message: `canary tenant ${canary} has no directory in ${settings.tenants}/`,
        ...fleetDoc.map.positionOf(`/spec/canary/${i}`),
      });
  }
  const lines = new Map<string, string[]>();
  return {
    dir,
    cwd: req.cwd,
    settings,
    file: display,
    baseline: baseline.documents,
    baselineFiles: baseline.files,
    ...(backend ? { backend } : {}),
    tenants,
    diagnostics: sortDiagnostics(diagnostics),
    lineText(file, line) {
      let text = lines.get(file);
      if (!text) {
        try {
          text = readFileSync(path.resolve(req.cwd, file), 'utf8').split('\n');
        } catch {
          text = [];
        }
        lines.set(file, text);
      }
      return text[line - 1];
    },
  };
}

/** The Fleet's `spec.backend` as a Backend document, placed at its lines in fleet.yaml. */
function backendDocument(fleet: ParsedDocument): ParsedDocument | undefined {
  const spec = (fleet.value as { spec?: { backend?: unknown } }).spec?.backend;
  if (!isPlainObject(spec)) return undefined;
  return {
    ...fleet,
    value: { apiVersion: 'roster/v1', kind: 'Backend', metadata: { name: 'fleet' }, spec },
    // `/spec/…` of the Backend document is `/spec/backend/…` of the Fleet document.
    map: fleetBackendMap(fleet),
  };
}

function fleetBackendMap(fleet: ParsedDocument) {
  return new OverlaySourceMap(fleet.map, [{ at: '/spec', map: fleet.map, from: '/spec/backend' }]);
}

async function readDir(
  dir: string,
  cwd: string,
  diagnostics: Diagnostic[],
): Promise<{ documents: ParsedDocument[]; files: string[] }> {
  const found = await findManifestFiles([path.relative(cwd, dir) || '.'], cwd);
  diagnostics.push(...found.diagnostics);
  const documents: ParsedDocument[] = [];
  for (const file of found.files) {
    const r = await parseManifestFile(file);
    diagnostics.push(...r.diagnostics);
    documents.push(...r.documents);
  }
  return { documents, files: found.files.map((f) => f.display) };
}

async function readTenant(
  dir: string,
  name: string,
  cwd: string,
  diagnostics: Diagnostic[],
): Promise<TenantSource | undefined> {
  const read = await readDir(dir, cwd, diagnostics);
  const tenantDocs = read.documents.filter((d) => isPlainObject(d.value) && d.value.kind === 'Tenant');
  const shown = path.relative(cwd, dir) || dir;
  if (tenantDocs.length !== 1) {
    diagnostics.push({
      severity: 'error',
      code: 'fleet.tenant',
      message:
        tenantDocs.length === 0
          ? `${shown}/ holds no kind: Tenant document (tenant.yaml)`
          : `${shown}/ holds ${tenantDocs.length} kind: Tenant documents; a tenant has one`,
      ...(tenantDocs[1]?.start ?? { file: `${shown}/` }),
    });
    return undefined;
  }
  const doc = tenantDocs[0]!;
  const problems = validateAgainst(validator, TENANT_SCHEMA, doc.value, '', doc.map, 'the Tenant schema');
  diagnostics.push(...problems.map((p) => ({ ...p, code: 'fleet.tenant' })));
  if (problems.length > 0) return undefined;
  const value = doc.value as {
    metadata: { name: string; labels?: Record<string, string> };
    spec: { variables?: Record<string, TenantVariable>; providers?: Record<string, Record<string, unknown>> };
  };
  if (value.metadata.name !== name) {
    diagnostics.push({
      severity: 'error',
      code: 'fleet.tenant',
      message: `the tenant in ${shown}/ must be named ${name}, as its directory (its state is kept under that name)`,
      ...doc.map.positionOf('/metadata/name'),
    });
    return undefined;
  }
  return {
    name,
    dir,
    labels: value.metadata.labels ?? {},
    variables: value.spec.variables ?? {},
    providers: value.spec.providers ?? {},
    document: doc,
    documents: read.documents.filter((d) => d !== doc),
    files: read.files,
  };
}
