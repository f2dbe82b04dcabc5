import { type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import { INVENTORY_POLICIES } from '../inventory/findings/rules.js';
import { BUILTIN_POLICIES } from '../policy/builtin.js';
import { readPolicySettings } from '../policy/config.js';
import { endpointDiagnostics } from '../policy/endpoints.js';
import type { PolicyRule } from '../policy/types.js';
import type { Provider } from '../provider.js';
import { mergeSodPacks } from '../sod/engine.js';
import { sodPolicyRules } from '../sod/policy.js';
import { readBackendDocument } from '../state/backend-document.js';
import { runKindCheck } from './checks.js';
import { withoutEchoes } from './echoes.js';
import { buildEnvelopeSchema } from './envelope-schema.js';
import { findManifestFiles } from './find-files.js';
import { identify, PROJECT_KINDS } from './identity.js';
import { interpolateCredentials } from './interpolate.js';
import { type ParsedDocument, parseManifestFile } from './parse.js';
import { isPlainObject } from './plain-data.js';
import { resourceKinds } from './resource-kinds.js';
import { SchemaValidator } from './schema-validator.js';
import type { SourceMap } from './source-map.js';
import type { LoadResult, ManifestDocument } from './types.js';
import { type UnknownKindDocument, unknownKindDiagnostic } from './unknown-kind.js';
import { validateAgainst, validateProviderDocument, validateResourceDocument } from './validate.js';

/** What to load: files or directories relative to `cwd`, and the provider code to validate against. */
export interface LoadManifestsRequest {
  /** Manifest files or directories (their `*.yaml`/`*.yml` files), relative to `cwd`. */
  paths: string[];
  cwd: string;
  /** Read the subdirectories of each directory too (`-R`); default: each directory's own files only. */
  recursive?: boolean;
  providers: Provider[];
  /** Environment for `${env:…}` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * Documents already parsed (a fleet tenant's, derived in memory from the baseline and the
   * tenant's files): `paths` are then not read, and `files` are the files they came from.
   */
  parsed?: { documents: readonly ParsedDocument[]; files: readonly string[] };
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
  const { parsed, files } = req.parsed
    ? { parsed: req.parsed.documents, files: [...req.parsed.files] }
    : await readManifests(req, diagnostics);

  // The kinds there are: core's project kinds and those the registered providers declare.
  const envelope = buildEnvelopeSchema(req.providers);
  const kindNames = resourceKinds(req.providers).map((k) => k.kind);
  const known = new Set(kindNames);
  const unknownKinds: UnknownKindDocument[] = [];

  const documents: ManifestDocument[] = [];
  const maps = new Map<ManifestDocument, SourceMap>();
  const policyTexts = new Map<ManifestDocument, string>();
  const byAddress = new Map<string, ManifestDocument>();
  for (const p of parsed) {
    // An access review (`roster review start`) may sit among the manifests (`reviews/` under `-R`):
    // it is read by `roster review`, and is no resource.
    if (isAccessReview(p.value)) continue;
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
      // Provider and Backend credentials are needed to connect: a value not there yet is an error.
      allowPending: p.value['kind'] !== 'Provider' && p.value['kind'] !== 'Backend',
      // A Provider's credentials are resolved when a command signs in with their set: validate
      // needs none, plan and drift only the read set, apply only the write set. A Backend's URL
      // only when a command touches state (validate never does).
      deferUnresolved: p.value['kind'] === 'Provider' || p.value['kind'] === 'Backend',
      positionOf: (pointer) => p.map.positionOf(pointer),
    });
    const value = interpolated.value as Record<string, unknown>;
    const own = [...interpolated.diagnostics];
    const kind = value.kind;
    // Said once every Provider document is read, with what the document's provider has instead.
    const unknownKind = typeof kind === 'string' && !PROJECT_KINDS.has(kind) && !known.has(kind);
    if (unknownKind) unknownKinds.push({ kind, value, map: p.map });
    own.push(
      ...validateAgainst(
        sharedValidator,
        envelope,
        value,
        '',
        p.map,
        'the manifest schema',
        unknownKind ? new Set(['/kind']) : undefined,
      ),
    );
    const doc = identify(p, value, known);
    // Tagged with the address, so later stages (a provider's cross-resource checks) know the
    // document is broken and never see a spec of the wrong shape.
    diagnostics.push(...(doc ? ofDocument(own, doc.address) : own));
    if (!doc) continue;
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
    if (doc.kind === 'Policy') policyTexts.set(doc, p.text);
    documents.push(doc);
  }

  const byType = new Map<string, Provider>();
  for (const provider of req.providers) if (!byType.has(provider.type)) byType.set(provider.type, provider);
  const providerDocs = new Map<string, ManifestDocument>();
  for (const doc of documents) {
    if (doc.kind !== 'Provider') continue;
    providerDocs.set(doc.name, doc);
    diagnostics.push(
      ...ofDocument(validateProviderDocument(doc, byType, sharedValidator, maps.get(doc)!), doc.address),
    );
  }
  for (const u of unknownKinds) diagnostics.push(unknownKindDiagnostic(u, kindNames, providerDocs, byType));
  const policies = readPolicySettings({
    documents,
    maps,
    rules: policyRules(req.providers),
    validator: sharedValidator,
    texts: policyTexts,
  });
  diagnostics.push(...policies.diagnostics);
  // A Provider pointed at a host outside the Policy's allow-list is refused before anything connects.
  diagnostics.push(...endpointDiagnostics([...providerDocs.values()], policies.settings.endpoints));
  const backend = readBackendDocument({ documents, maps, validator: sharedValidator });
  diagnostics.push(...backend.diagnostics);
  for (const doc of documents) {
    if (PROJECT_KINDS.has(doc.kind)) continue;
    const r = validateResourceDocument(doc, providerDocs, byType, sharedValidator, maps.get(doc)!);
    diagnostics.push(...ofDocument(r.diagnostics, doc.address));
    // The kind's checks assume a spec of the right shape.
    if (r.kind && r.specValid) diagnostics.push(...ofDocument(runKindCheck(doc, r.kind), doc.address));
  }

  return {
    documents,
    diagnostics: sortDiagnostics(withoutEchoes(diagnostics)),
    files,
    policies: policies.settings,
    ...(backend.backend ? { backend: backend.backend } : {}),
  };
}

/** Find and parse the manifest files of `req.paths`; their problems go to `diagnostics`. */
async function readManifests(
  req: LoadManifestsRequest,
  diagnostics: Diagnostic[],
): Promise<{ parsed: ParsedDocument[]; files: string[] }> {
  const found = await findManifestFiles(req.paths, req.cwd, { recursive: req.recursive === true });
  diagnostics.push(...found.diagnostics);
  const parsed: ParsedDocument[] = [];
  for (const file of found.files) {
    const r = await parseManifestFile(file);
    diagnostics.push(...r.diagnostics);
    parsed.push(...r.documents);
  }
  return { parsed, files: found.files.map((f) => f.display) };
}

/** A document's diagnostics, each naming the document's address unless it names another. */
function ofDocument(diagnostics: Diagnostic[], address: string): Diagnostic[] {
  return diagnostics.map((d) => (d.address === undefined ? { ...d, address } : d));
}

/** Every policy rule: core's (the inventory's among them), then each provider type's (`Provider.policies`). */
export function policyRules(providers: readonly Provider[]): PolicyRule[] {
  const seen = new Set<string>();
  const rules: PolicyRule[] = [];
  const sod = sodPolicyRules(mergeSodPacks(providers.flatMap((p) => p.sodRules ?? [])));
  for (const r of [
    ...BUILTIN_POLICIES,
    ...INVENTORY_POLICIES,
    ...providers.flatMap((p) => p.policies ?? []),
    ...sod,
  ]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    rules.push(r);
  }
  return rules;
}

/** A `kind: AccessReview` document of roster's (the review file). */
function isAccessReview(value: unknown): boolean {
  return isPlainObject(value) && value['apiVersion'] === 'roster/v1' && value['kind'] === 'AccessReview';
}
