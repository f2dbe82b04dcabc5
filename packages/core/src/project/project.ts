import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { loadProject } from '../manifest/load-project.js';
import type { ParsedDocument } from '../manifest/parse.js';
import { splitCredentials } from '../manifest/read-credentials.js';
import type { ManifestDocument } from '../manifest/types.js';
import { isRef } from '../plan/canonical.js';
import type { DesiredResource } from '../plan/desired.js';
import { guardPrivileges, normalizeSpec } from '../plan/guard-privileges.js';
import type { PlanProvider } from '../plan/types.js';
import type { PolicySettings } from '../policy/config.js';
import type { KindDefinition, Provider } from '../provider.js';
import { isSecret, type Secret } from '../secret.js';
import type { BackendSettings } from '../state/backend-document.js';

/** A configured system: its Provider document and the provider code that handles its `type`. */
export interface ConfiguredProvider {
  name: string;
  provider: Provider;
  document: ManifestDocument;
  config: Record<string, unknown>;
  /** The top-level `spec.credentials`: what apply (a read-write connection) signs in with. */
  credentials: Record<string, Secret | undefined>;
  /**
   * `spec.credentials.read`: what read-only connections (plan, drift, test) sign in with, when
   * given. From a saved plan it is empty but present when the plan was made with a read set: apply
   * never reads those values, it only needs to know to refuse clearly when no write set exists.
   */
  readCredentials?: Record<string, Secret | undefined>;
  sandbox: boolean;
  /** `spec.attestationMaxAgeDays` (core's, not the provider's): how long a confirmation holds. */
  attestationMaxAgeDays?: number;
}

/** Manifests loaded and resolved: what plan, apply, drift and validate start from. */
export interface Project {
  cwd: string;
  /** The first `-f` directory (or the working directory): holds `.roster/`. */
  projectDir: string;
  /** `.roster/` of the project, or `--state-dir`. */
  stateDir: string;
  files: string[];
  documents: ManifestDocument[];
  providers: Map<string, ConfiguredProvider>;
  desired: DesiredResource[];
  /** Addresses in dependency order. */
  order: string[];
  diagnostics: Diagnostic[];
  /** Policy rules' settings (defaults and `kind: Policy` documents). */
  policies: PolicySettings;
  /** The project's `kind: Backend` document, when it has one. */
  backend?: BackendSettings;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

export interface OpenProjectRequest {
  paths: string[];
  cwd: string;
  /** Read the subdirectories of each `-f` directory too (`-R`); default: each directory's own files. */
  recursive?: boolean;
  stateDir?: string;
  providers: Provider[];
  env?: NodeJS.ProcessEnv;
  /** Documents already parsed, instead of reading `paths` (a fleet tenant's, built in memory). */
  parsed?: { documents: readonly ParsedDocument[]; files: readonly string[] };
  /** The project directory, when `paths` do not give it (a fleet's directory). */
  projectDir?: string;
}

/** The project directory of a run: the first `-f` directory (a file's directory), or the working directory. */
export function projectDirOf(paths: readonly string[], cwd: string): string {
  const first = paths[0];
  if (!first) return cwd;
  const abs = path.resolve(cwd, first);
  if (existsSync(abs) && statSync(abs).isFile()) return path.dirname(abs);
  return abs;
}

/** Load, interpolate, validate and resolve the manifests. Problems are in `diagnostics`, never thrown. */
export async function openProject(req: OpenProjectRequest): Promise<Project> {
  const paths = req.paths.length > 0 ? req.paths : ['.'];
  const projectDir = req.projectDir ?? projectDirOf(paths, req.cwd);
  const stateDir = req.stateDir ? path.resolve(req.cwd, req.stateDir) : path.join(projectDir, '.roster');
  const loaded = await loadProject({
    paths,
    cwd: req.cwd,
    ...(req.recursive ? { recursive: true } : {}),
    providers: req.providers,
    ...(req.env ? { env: req.env } : {}),
    ...(req.parsed ? { parsed: req.parsed } : {}),
  });
  const byType = new Map(req.providers.map((p) => [p.type, p]));
  const providers = new Map<string, ConfiguredProvider>();
  for (const doc of loaded.providerDocs) {
    const type = String(doc.spec.type ?? '');
    const provider = byType.get(type);
    if (!provider) continue; // reported by validation
    const { credentials, attestationMaxAgeDays, ...config } = doc.spec;
    const sets = splitCredentials(credentials);
    providers.set(doc.name, {
      name: doc.name,
      provider,
      document: doc,
      config,
      credentials: sets.write,
      ...(sets.read ? { readCredentials: sets.read } : {}),
      sandbox: config.endpoint === 'sandbox',
      ...(typeof attestationMaxAgeDays === 'number' ? { attestationMaxAgeDays } : {}),
    });
  }
  const kindOf = (p: string, k: string) => providers.get(p)?.provider.kinds[k];
  const diagnostics = [
    ...loaded.diagnostics,
    ...crossResourceChecks(loaded.resources, providers, loaded.diagnostics),
  ];

  const byAddress = new Map(loaded.resources.map((d) => [d.address, d]));
  const desired: DesiredResource[] = [];
  for (const doc of loaded.resources) {
    const def = doc.provider ? kindOf(doc.provider, doc.kind) : undefined;
    if (!def || !doc.provider) continue;
    const resolved = resolveRefs(doc.spec, '/spec', (pointer, output) => {
      const target = loaded.graph.targetOf(doc.address, pointer);
      const targetDoc = target ? byAddress.get(target) : undefined;
      const targetDef = targetDoc?.provider ? kindOf(targetDoc.provider, targetDoc.kind) : undefined;
      if (!targetDoc || !targetDef) return undefined;
      // An output is looked up on the target object by its address (state, then the system).
      if (output || targetDoc.provider !== doc.provider) return target;
      return safeNaturalKey(targetDef, targetDoc.spec);
    });
    // A privilege the manifest leaves out means none: guarded like a declared one.
    const spec = guardPrivileges(normalizeSpec(resolved, def), def, doc.lifecycle.ignoreChanges);
    desired.push({
      address: doc.address,
      provider: doc.provider,
      kind: doc.kind,
      name: doc.name,
      labels: doc.labels,
      spec,
      naturalKey: safeNaturalKey(def, doc.spec),
      lifecycle: doc.lifecycle,
      dependencies: loaded.graph.dependenciesOf(doc.address).filter((a) => byAddress.has(a)),
      positionOf: (pointer) => doc.source.positionOf(pointer),
    });
  }
  return {
    cwd: req.cwd,
    projectDir,
    stateDir,
    files: loaded.files,
    documents: loaded.documents,
    providers,
    desired,
    order: loaded.graph.order.filter((a) => byAddress.has(a)),
    diagnostics,
    policies: loaded.policies,
    ...(loaded.backend ? { backend: loaded.backend } : {}),
    kindOf,
  };
}

/**
 * Each provider's checks across its resources (e.g. whether an account can reach what a connector
 * serves), on the resources that loaded without errors; findings placed at their manifest lines.
 */
function crossResourceChecks(
  resources: readonly ManifestDocument[],
  providers: ReadonlyMap<string, ConfiguredProvider>,
  loadDiagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const broken = new Set(
    loadDiagnostics.filter((d) => d.severity === 'error' && d.address).map((d) => d.address!),
  );
  const out: Diagnostic[] = [];
  const all = new Map(resources.map((d) => [d.address, d]));
  const view = (d: ManifestDocument) => ({
    address: d.address,
    kind: d.kind,
    name: d.name,
    labels: d.labels,
    spec: d.spec,
  });
  for (const p of providers.values()) {
    if (!p.provider.check) continue;
    const docs = resources.filter((d) => d.provider === p.name && !broken.has(d.address));
    const byAddress = new Map(docs.map((d) => [d.address, d]));
    // Resources of other providers these reference, and what those reference in turn.
    const referenced = new Map<string, ManifestDocument>();
    const stack = docs.flatMap((d) => crossRefs(d.spec));
    while (stack.length > 0) {
      const address = stack.pop()!;
      const target = all.get(address);
      // A broken document is left out here too: checks assume specs of the right shape.
      if (!target || broken.has(address) || referenced.has(address) || target.provider === p.name) continue;
      referenced.set(address, target);
      for (const ref of crossRefs(target.spec)) stack.push(ref);
      // Same-provider references name a resource of the kind the attribute declares.
      const def = providers.get(target.provider ?? '')?.provider.kinds[target.kind];
      for (const [attr, rule] of Object.entries(def?.attributes ?? {})) {
        if (!rule.ref) continue;
        for (const ref of refsIn(target.spec[attr]))
          stack.push(ref.includes('/') ? ref : `${target.provider}/${rule.ref}/${ref}`);
      }
    }
    const result = p.provider.check({
      provider: p.name,
      config: p.config,
      resources: docs.map(view),
      referenced: [...referenced.values()].map((d) => ({
        ...view(d),
        provider: d.provider ?? '',
        providerType: String(providers.get(d.provider ?? '')?.provider.type ?? ''),
      })),
    });
    for (const d of result.diagnostics) {
      // A finding about the Provider document itself (its configuration) is placed there.
      const doc = byAddress.get(d.address) ?? (d.address === p.document.address ? p.document : undefined);
      out.push({
        severity: d.severity,
        code: d.code,
        message: d.message,
        address: d.address,
        ...(doc ? doc.source.positionOf(`/spec${d.path}`) : {}),
      });
    }
  }
  return out;
}

/** Full-address references (`provider/Kind/name`) anywhere in a spec. */
function crossRefs(value: unknown): string[] {
  return refsIn(value).filter((r) => r.split('/').length === 3);
}

function refsIn(value: unknown): string[] {
  if (isRef(value)) return [value.ref];
  if (isSecret(value)) return [];
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(refsIn);
  return [];
}

function safeNaturalKey(def: KindDefinition, spec: Record<string, unknown>): string {
  try {
    return def.naturalKey(spec);
  } catch {
    return '';
  }
}

type RefResolver = (pointer: string, output: boolean) => string | undefined;

/**
 * Replace every `{ref}` with `{ref: <target natural key>}` (another provider's target: its address),
 * and every `{ref, output}` with `{ref: <target address>, output}`; unresolvable refs stay as they are.
 */
function resolveRefs(
  value: Record<string, unknown>,
  pointer: string,
  resolve: RefResolver,
): Record<string, unknown> {
  return walk(value, pointer, resolve) as Record<string, unknown>;
}

function walk(value: unknown, pointer: string, resolve: RefResolver): unknown {
  if (isRef(value)) {
    const output = (value as { output?: unknown }).output;
    const key = resolve(pointer, typeof output === 'string');
    const ref = key ?? value.ref;
    return typeof output === 'string' ? { ref, output } : { ref };
  }
  if (isSecret(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${pointer}/${i}`, resolve));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, resolve);
    }
    return out;
  }
  return value;
}

/**
 * Provider configurations as a plan saves them: credentials only as their origins. `credentials`
 * are the write set, which apply re-reads; `readCredentials` (origins of `credentials.read`) only
 * tell the reviewer what the plan was read with, and apply never reads them.
 */
export function planProviders(project: Project): PlanProvider[] {
  return [...project.providers.values()].map((p) => ({
    name: p.name,
    type: p.provider.type,
    config: p.config,
    credentials: originsOf(p.credentials),
    ...(p.readCredentials ? { readCredentials: originsOf(p.readCredentials) } : {}),
    sandbox: p.sandbox,
  }));
}

/** `{key: 'env:NAME' | 'file:PATH'}`: where each secret comes from, never its value. */
export function originsOf(creds: Record<string, Secret | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(creds)
      .filter((e): e is [string, Secret] => e[1] !== undefined)
      .map(([k, v]) => [k, v.origin]),
  );
}
