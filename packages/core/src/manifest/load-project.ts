import { capDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { PolicySettings } from '../policy/config.js';
import type { Provider } from '../provider.js';
import type { BackendSettings } from '../state/backend-document.js';
import { withoutEchoes } from './echoes.js';
import { type ResourceGraph, resolveReferences } from './graph.js';
import { loadManifests } from './load.js';
import type { ParsedDocument } from './parse.js';
import { indexProviders } from './provider-index.js';
import type { ManifestDocument } from './types.js';

export interface LoadProjectRequest {
  /** Manifest files or directories, relative to `cwd`. */
  paths: string[];
  cwd: string;
  /** Read the subdirectories of each directory too (`-R`). */
  recursive?: boolean;
  providers: Provider[];
  /** Environment for `${env:…}` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Documents already parsed, instead of reading `paths` (see `LoadManifestsRequest.parsed`). */
  parsed?: { documents: readonly ParsedDocument[]; files: readonly string[] };
}

/** Manifests loaded, validated and resolved into a graph. */
export interface LoadedProject {
  /** Every identified document, Provider documents and resources, in file order. */
  documents: ManifestDocument[];
  /** The Provider documents. */
  providerDocs: ManifestDocument[];
  /** Resources whose Provider document exists, has a known type, and whose kind that type has. */
  resources: ManifestDocument[];
  graph: ResourceGraph;
  /** Every problem found, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Manifest files read, relative to `cwd`. */
  files: string[];
  /** Policy rules' settings (defaults and `kind: Policy` documents). */
  policies: PolicySettings;
  /** The project's `kind: Backend` document, when it has one. */
  backend?: BackendSettings;
}

/**
 * The whole manifest pipeline: load → interpolate → validate → checks (`loadManifests`), then
 * references and the dependency graph (`resolveReferences`). Nothing is thrown for bad input.
 */
export async function loadProject(req: LoadProjectRequest): Promise<LoadedProject> {
  const loaded = await loadManifests(req);
  const index = indexProviders(loaded.documents, req.providers);
  const providerDocs = loaded.documents.filter((d) => d.kind === 'Provider');
  const resources = loaded.documents.filter((d) => d.kind !== 'Provider' && index.kindOf(d) !== undefined);
  const refs = resolveReferences({ documents: [...providerDocs, ...resources], providers: req.providers });
  return {
    documents: loaded.documents,
    providerDocs,
    resources,
    graph: refs.graph,
    diagnostics: capDiagnostics(withoutEchoes([...loaded.diagnostics, ...refs.diagnostics])),
    files: loaded.files,
    policies: loaded.policies,
    ...(loaded.backend ? { backend: loaded.backend } : {}),
  };
}
