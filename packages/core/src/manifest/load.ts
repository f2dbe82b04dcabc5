import { type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import { BUILTIN_POLICIES } from '../policy/builtin.js';
import { readPolicySettings } from '../policy/config.js';
import type { PolicyRule } from '../policy/types.js';
import type { Provider } from '../provider.js';
import { runKindCheck } from './checks.js';
import { withoutEchoes } from './echoes.js';
import { envelopeSchema } from './envelope-schema.js';
import { findManifestFiles } from './find-files.js';
import { identify, RESERVED_KINDS } from './identity.js';
import { interpolateCredentials } from './interpolate.js';
import { type ParsedDocument, parseManifestFile } from './parse.js';
import { isPlainObject } from './plain-data.js';
import { SchemaValidator } from './schema-validator.js';
import type { SourceMap } from './source-map.js';
import type { LoadResult, ManifestDocument } from './types.js';
import { validateAgainst, validateProviderDocument, validateResourceDocument } from './validate.js';

/** What to load: files or directories relative to `cwd`, and the provider code to validate against. */
export interface LoadManifestsRequest {
  /** Manifest files or directories (searched recursively for `*.yaml`/`*.yml`), relative to `cwd`. */
  paths: string[];
  cwd: string;
  providers: Provider[];
  /** Environment for `${env:…}` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

// Compiled schemas are kept for the life of the process: every run validates against the same few.
const sharedValidator = new SchemaValidator();

/**
 * Load manifests: find the files, parse their YAML documents (within `MANIFEST_LIMITS`), resolve
 * `${env:…}`/`${file:…}` inside credentials blocks into secrets, validate each document against the
 * envelope schema, then a Provider's spec against its type's `configSchema` and a resource's spec
 * against its kind's schema, and run the kind's own checks.
 *
 * Nothing is thrown for bad input: every problem is a diagnostic with `file:line:column` (paths
 * relative to `cwd`), all of them collected in one pass and sorted by position. `documents` holds
 * every document that could be identified (known kind, name, provider), in file order, without
 * duplicates; `files` the manifest files read, relative to `cwd`.
 */
export async function loadManifests(req: LoadManifestsRequest): Promise<LoadResult> {
  const env = req.env ?? process.env;
  const diagnostics: Diagnostic[] = [];
  const found = await findManifestFiles(req.paths, req.cwd);
  diagnostics.push(...found.diagnostics);

  const parsed: ParsedDocument[] = [];
  for (const file of found.files) {
    const r = await parseManifestFile(file);
    diagnostics.push(...r.diagnostics);
    parsed.push(...r.documents);
  }

  const envelope = envelopeSchema();
  if ('error' in envelope) {
    diagnostics.push({
      severity: 'error',
      code: 'manifest.schema-missing',
      message: `roster's manifest schema is missing from this installation: ${envelope.error}`,
    });
  }

  const documents: ManifestDocument[] = [];
  const maps = new Map<ManifestDocument, SourceMap>();
  const byAddress = new Map<string, ManifestDocument>();
  for (const p of parsed) {
    if (!isPlainObject(p.value)) {
      diagnostics.push({
        severity: 'error',
        code: 'manifest.schema',
        message: 'a manifest document must be a mapping with apiVersion, kind, metadata and spec',
        ...p.start,
      });
      continue;
    }
    const interpolated = interpolateCredentials({
      value: p.value,
      baseDir: p.dir,
      env,
      allowPending: p.value['kind'] !== 'Provider',
      positionOf: (pointer) => p.map.positionOf(pointer),
    });
    diagnostics.push(...interpolated.diagnostics);
    const value = interpolated.value as Record<string, unknown>;
    if ('schema' in envelope) {
      diagnostics.push(
        ...validateAgainst(sharedValidator, envelope.schema, value, '', p.map, 'the manifest schema'),
      );
    }
    const doc = identify(p, value);
    if (!doc) continue;
    if (RESERVED_KINDS.has(doc.kind)) {
      diagnostics.push({
        severity: 'error',
        code: 'manifest.kind',
        message: `kind ${doc.kind} is reserved for a later version of roster`,
        ...p.map.positionOf('/kind'),
      });
      continue;
    }
    const first = byAddress.get(doc.address);
    if (first) {
      const at = maps.get(first)!.positionOf('/metadata/name');
      diagnostics.push({
        severity: 'error',
        code: 'manifest.duplicate',
        message: `${doc.address} is declared twice; the first is at ${at.file}:${at.line}`,
        ...p.map.positionOf('/metadata/name'),
        address: doc.address,
      });
      continue;
    }
    byAddress.set(doc.address, doc);
    maps.set(doc, p.map);
    documents.push(doc);
  }

  const byType = new Map<string, Provider>();
  for (const provider of req.providers) if (!byType.has(provider.type)) byType.set(provider.type, provider);
  const providerDocs = new Map<string, ManifestDocument>();
  for (const doc of documents) {
    if (doc.kind !== 'Provider') continue;
    providerDocs.set(doc.name, doc);
    diagnostics.push(...validateProviderDocument(doc, byType, sharedValidator, maps.get(doc)!));
  }
  const policies = readPolicySettings({
    documents,
    maps,
    rules: policyRules(req.providers),
    validator: sharedValidator,
  });
  diagnostics.push(...policies.diagnostics);
  for (const doc of documents) {
    if (doc.kind === 'Provider' || doc.kind === 'Policy') continue;
    const r = validateResourceDocument(doc, providerDocs, byType, sharedValidator, maps.get(doc)!);
    diagnostics.push(...r.diagnostics);
    // The kind's checks assume a spec of the right shape.
    if (r.kind && r.specValid) diagnostics.push(...runKindCheck(doc, r.kind));
  }

  return {
    documents,
    diagnostics: sortDiagnostics(withoutEchoes(diagnostics)),
    files: found.files.map((f) => f.display),
    policies: policies.settings,
  };
}

/** Every policy rule: core's, then each provider type's (`Provider.policies`). */
export function policyRules(providers: readonly Provider[]): PolicyRule[] {
  const seen = new Set<string>();
  const rules: PolicyRule[] = [];
  for (const r of [...BUILTIN_POLICIES, ...providers.flatMap((p) => p.policies ?? [])]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    rules.push(r);
  }
  return rules;
}
