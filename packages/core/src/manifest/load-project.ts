import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Provider } from '../provider.js';
import { interpolateCredentials } from './interpolate.js';
import { findManifestFiles, type ParsedDocument, parseManifestFile } from './parse.js';
import { type ResourceGraph, resolveReferences, suggest } from './references.js';
import { SchemaValidator } from './schema-validation.js';
import type { Lifecycle, ManifestDocument } from './types.js';

export interface LoadProjectRequest {
  /** Files or directories, relative to `cwd`. */
  paths: string[];
  cwd: string;
  providers: Provider[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedProject {
  documents: ManifestDocument[];
  providerDocs: ManifestDocument[];
  resources: ManifestDocument[];
  graph: ResourceGraph;
  diagnostics: Diagnostic[];
  /** Manifest files read, relative to `cwd`. */
  files: string[];
}

const validator = new SchemaValidator();
const KINDS = new Set([
  'Provider',
  'ServiceAccount',
  'SecurityLevel',
  'Group',
  'Connector',
  'Policy',
  'Backend',
]);

/**
 * load → interpolate → validate (envelope, then the provider's schema for the kind) → provider
 * checks → references and graph. Every problem is a diagnostic with its position; nothing throws
 * for bad input.
 */
export async function loadProject(req: LoadProjectRequest): Promise<LoadedProject> {
  const env = req.env ?? process.env;
  const diagnostics: Diagnostic[] = [];
  const found = await findManifestFiles(req.paths, req.cwd);
  diagnostics.push(...found.diagnostics);
  const files = found.files.map((f) => path.relative(req.cwd, f) || path.basename(f));

  const parsed: Array<{ doc: ParsedDocument; abs: string }> = [];
  for (const [i, abs] of found.files.entries()) {
    const r = await parseManifestFile(abs, files[i]!);
    diagnostics.push(...r.diagnostics);
    for (const doc of r.documents) parsed.push({ doc, abs });
  }

  const documents: ManifestDocument[] = [];
  // Positions of keys (not only values) are needed to point at an unknown field.
  const locators = new WeakMap<ManifestDocument, ParsedDocument['locate']>();
  const firstAt = new Map<string, ManifestDocument>();
  for (const { doc, abs } of parsed) {
    if (!doc.value || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      diagnostics.push({
        severity: 'error',
        code: 'manifest.schema',
        message: 'a manifest document must be a mapping with apiVersion, kind, metadata and spec',
        ...doc.start,
      });
      continue;
    }
    const envelopeErrors = validator.validate(validator.envelope(), doc.value, '', doc.locate);
    const interpolated = interpolateCredentials({
      value: doc.value,
      baseDir: path.dirname(abs),
      env,
      locate: (p) => doc.locate(p),
    });
    diagnostics.push(...envelopeErrors, ...interpolated.diagnostics);
    const v = interpolated.value as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; provider?: string; labels?: Record<string, string> };
      spec?: Record<string, unknown>;
      lifecycle?: Lifecycle;
    };
    // Go on past envelope errors that leave the document's identity intact (e.g. a badly formed
    // name), so the spec's own errors are reported in the same run.
    const identifiable =
      typeof v.kind === 'string' &&
      KINDS.has(v.kind) &&
      !!v.metadata &&
      typeof v.metadata === 'object' &&
      typeof v.metadata.name === 'string' &&
      (v.kind === 'Provider' || typeof v.metadata.provider === 'string') &&
      (v.spec === undefined || (typeof v.spec === 'object' && v.spec !== null && !Array.isArray(v.spec)));
    if (!identifiable) continue;
    const address =
      v.kind === 'Provider'
        ? `Provider/${v.metadata.name}`
        : `${v.metadata.provider}/${v.kind}/${v.metadata.name}`;
    const manifest: ManifestDocument = {
      apiVersion: v.apiVersion,
      kind: v.kind,
      name: v.metadata.name,
      ...(v.metadata.provider !== undefined ? { provider: v.metadata.provider } : {}),
      labels: v.metadata.labels ?? {},
      spec: v.spec ?? {},
      lifecycle: v.lifecycle ?? {},
      address,
      source: {
        file: doc.file,
        index: doc.index,
        start: doc.start,
        positionOf: (pointer) => doc.locate(pointer),
      },
    };
    const earlier = firstAt.get(address);
    if (earlier) {
      const pos = doc.locate('/metadata/name');
      diagnostics.push({
        severity: 'error',
        code: 'manifest.duplicate',
        message: `${address} is declared twice; the first is at ${earlier.source.file}:${earlier.source.start.line}`,
        file: pos.file,
        line: pos.line,
        column: pos.column,
      });
      continue;
    }
    locators.set(manifest, doc.locate);
    firstAt.set(address, manifest);
    documents.push(manifest);
  }

  const providerDocs = documents.filter((d) => d.kind === 'Provider');
  const byType = new Map(req.providers.map((p) => [p.type, p]));
  const providerOf = new Map<string, Provider>();
  for (const doc of providerDocs) {
    const type = String(doc.spec.type ?? '');
    const provider = byType.get(type);
    if (!provider) {
      const pos = doc.source.positionOf('/spec/type');
      const hint = suggest(type, byType.keys());
      diagnostics.push({
        severity: 'error',
        code: 'manifest.provider-type',
        message: `unknown provider type ${JSON.stringify(type)}${hint ? ` (did you mean ${hint}?)` : ''}; known types: ${[...byType.keys()].join(', ')}`,
        ...pos,
      });
      continue;
    }
    providerOf.set(doc.name, provider);
    diagnostics.push(...validator.validate(provider.configSchema, doc.spec, '/spec', locators.get(doc)!));
  }

  const resources: ManifestDocument[] = [];
  for (const doc of documents) {
    if (doc.kind === 'Provider') continue;
    const name = doc.provider ?? '';
    const provider = providerOf.get(name);
    if (!provider) {
      if (providerDocs.some((p) => p.name === name)) continue; // its Provider document is already in error
      const pos = doc.source.positionOf('/metadata/provider');
      const hint = suggest(
        name,
        providerDocs.map((p) => p.name),
      );
      diagnostics.push({
        severity: 'error',
        code: 'manifest.provider',
        message: `no Provider document named ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ''}; declare one with kind: Provider`,
        ...pos,
      });
      continue;
    }
    const def = provider.kinds[doc.kind];
    if (!def) {
      const pos = doc.source.positionOf('/kind');
      diagnostics.push({
        severity: 'error',
        code: 'manifest.kind',
        message: `provider ${name} (${provider.type}) has no kind ${doc.kind}; it supports: ${Object.keys(provider.kinds).join(', ')}`,
        ...pos,
      });
      continue;
    }
    const schemaErrors = validator.validate(def.schema, doc.spec, '/spec', locators.get(doc)!);
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length === 0 && def.check) {
      for (const d of def.check({ name: doc.name, spec: doc.spec }).diagnostics) {
        const pos = doc.source.positionOf(`/spec${d.path}`);
        diagnostics.push({
          severity: d.severity,
          code: d.code,
          message: d.message,
          ...pos,
          address: doc.address,
        });
      }
    }
    resources.push(doc);
  }

  const refs = resolveReferences({ resources, providerDocs, providers: req.providers });
  diagnostics.push(...refs.diagnostics);
  return { documents, providerDocs, resources, graph: refs.graph, diagnostics, files };
}
