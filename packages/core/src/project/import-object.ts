import { executePlan } from '../apply/execute.js';
import { UserError } from '../diagnostics.js';
import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import { suggest } from '../manifest/suggest.js';
import { canonical, sameValue } from '../plan/canonical.js';
import type { DesiredResource } from '../plan/desired.js';
import { project as pick } from '../plan/project-attributes.js';
import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import { summarizeChanges } from '../plan/summary.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlannedChange } from '../plan/types.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import { isSecret } from '../secret.js';
import type { StateBackend, StateResource } from '../state/types.js';
import { withStateLock } from '../state/with-lock.js';
import type { ConfiguredProvider, Project } from './project.js';

/** The resource `roster import ADDR ID` adopts: its manifest, kind and provider. */
export interface ImportTarget {
  desired: DesiredResource;
  def: KindDefinition;
  configured: ConfiguredProvider;
}

/** What `importObject` adopted. */
export interface ImportResult {
  address: string;
  id: string;
  naturalKey: string;
  resource: StateResource;
  /** Manifest attributes the system cannot report: the next plan asks a person to confirm them. */
  unverifiable: string[];
  /** Manifest attributes whose value in the system differs: the next plan updates them. */
  differing: string[];
}

/**
 * The manifest resource at `address`, or a UserError naming the closest addresses. Kinds the
 * system cannot read are refused: there is nothing to read by id (a person confirms them instead).
 */
export function importTarget(project: Project, address: string): ImportTarget {
  const desired = project.desired.find((d) => d.address === address);
  if (!desired) {
    const addresses = project.desired.map((d) => d.address);
    const close = closeMatches(address, addresses);
    throw new UserError(
      `no resource ${address} in the manifests${
        close.length > 0
          ? `; did you mean ${close.join(', ')}?`
          : addresses.length === 0
            ? ' (they declare none)'
            : ''
      } (roster import adopts an object for a resource the manifests declare: write its manifest first)`,
    );
  }
  const configured = project.providers.get(desired.provider);
  const def = project.kindOf(desired.provider, desired.kind);
  if (!configured || !def) throw new UserError(`${address}: provider ${desired.provider} is not configured`);
  if (kindCapabilities(def).read === 'none')
    throw new UserError(
      `${address}: ${configured.provider.displayName} cannot read ${desired.kind} objects, so there is nothing to import by id; roster plans it as a manual step and records it once a person confirms it (roster apply, or roster apply --confirm ${address})`,
    );
  return { desired, def, configured };
}

/** Addresses close to `address`: the nearest by edit distance, and those with the same name or kind/name. */
function closeMatches(address: string, addresses: readonly string[]): string[] {
  const out = new Set<string>();
  const near = suggest(address, addresses);
  if (near) out.add(near);
  const tail = address.split('/').slice(-2).join('/');
  const name = address.split('/').pop() ?? address;
  for (const a of addresses) if (a.endsWith(`/${tail}`) || a.endsWith(`/${name}`)) out.add(a);
  return [...out].sort().slice(0, 5);
}

export interface ImportObjectRequest {
  target: ImportTarget;
  id: string;
  connection: KindSession;
  backend: StateBackend;
  log: Logger;
  /** Recorded with attestations (none here) and in `credentialsIssuedAt` semantics; default OS user. */
  actor?: string;
  now?: () => Date;
}

/**
 * Adopt the object with system id `id` as the resource `target`, under the state lock: read it by id,
 * refuse when the address is already managed or another resource holds the id, and record it as
 * apply records an adopted object (`import`): the manifest-owned attributes as the system has them,
 * its fingerprint, and `credentialsIssuedAt` for an account whose manifest keeps credentials.
 * Nothing is written to the system.
 */
export async function importObject(req: ImportObjectRequest): Promise<ImportResult> {
  const { desired: d, def } = req.target;
  return withStateLock(req.backend, 'import', async () => {
    const state = await req.backend.read();
    const existing = state.resources[d.address];
    if (existing)
      throw new UserError(
        `${d.address} is already in state (id ${existing.id}); to adopt another object, forget it first with roster state rm ${d.address}`,
      );
    const holder = Object.entries(state.resources).find(
      ([, r]) => r.provider === d.provider && r.kind === d.kind && r.id === req.id,
    );
    if (holder)
      throw new UserError(
        `${d.kind} ${req.id} is already managed as ${holder[0]}; one object is one resource (roster state mv ${holder[0]} ${d.address} renames it)`,
      );
    const { object } = await apiMethod(req.connection, 'read', d.kind)({ kind: d.kind, id: req.id });
    if (!object) throw new UserError(`${d.provider} has no ${d.kind} with id ${req.id}`);
    if (object.conflict)
      throw new UserError(`${d.kind} ${req.id} cannot be managed by roster: ${object.conflict}`);
    if (object.naturalKey !== d.naturalKey)
      throw new UserError(
        `${d.kind} ${req.id} is ${object.naturalKey} in the system, but ${d.address} declares ${d.naturalKey} (${def.naturalKeyAttribute}); import the object the manifest describes, or change the manifest`,
      );

    const change = importChange(req.target, object);
    const result = await executePlan({
      plan: recordingPlan([change], state.lineage, state.serial, req.now?.() ?? new Date()),
      remote: new Map([[d.provider, new Map([[d.kind, [object]]])]]),
      connections: new Map([[d.provider, req.connection]]),
      kindOf: (p, k) => (p === d.provider && k === d.kind ? def : undefined),
      backend: req.backend,
      state,
      sensitiveValue: (_address, key) => d.spec[key],
      concurrency: 1,
      log: req.log,
      ...(req.actor ? { actor: req.actor } : {}),
      ...(req.now ? { now: req.now } : {}),
    });
    const failed = result.failed[0];
    if (failed) throw new UserError(`${d.address}: ${failed.message}`);
    const resource = result.state.resources[d.address];
    if (!resource) throw new Error(`${d.address} was not recorded in state`);
    const after = change.after ?? {};
    const keys = Object.keys(manifestOwned(d.spec, def));
    return {
      address: d.address,
      id: object.id,
      naturalKey: object.naturalKey,
      resource,
      unverifiable: keys.filter((k) => def.attributes[k]?.verifiable === false),
      differing: keys.filter(
        (k) =>
          def.attributes[k]?.verifiable !== false &&
          k in after &&
          !sameValue(canonical(after[k], def.attributes[k]), canonical(d.spec[k], def.attributes[k])),
      ),
    };
  });
}

/** The spec without roster's own (`local`) attributes: what the manifest owns in the system. */
function manifestOwned(spec: Record<string, unknown>, def: KindDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (!def.attributes[k]?.local) out[k] = v;
  return out;
}

/** Where the resource's credentials are kept (`env:…`/`file:…`), as the plan records them. */
function credentialOrigins(
  spec: Record<string, unknown>,
  def: KindDefinition,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (!def.attributes[k]?.local || !v || typeof v !== 'object') continue;
    for (const [name, value] of Object.entries(v)) if (isSecret(value)) out[name] = value.origin;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The `import` change the planner makes for an object found by natural key (assemble.ts, rule
 * `adopt`): the manifest-owned attributes as the system has them; those it cannot report are left
 * out, so the next plan asks a person to confirm them instead of recording them unseen.
 */
export function importChange(
  target: Pick<ImportTarget, 'desired' | 'def'>,
  object: RemoteObject,
): PlannedChange {
  const { desired: d, def } = target;
  const keys = Object.keys(manifestOwned(d.spec, def)).filter((k) => def.attributes[k]?.verifiable !== false);
  const before = pick(object.attributes, keys);
  const credentials = credentialOrigins(d.spec, def);
  return {
    index: 0,
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    action: 'import',
    reasons: [
      {
        path: '',
        rule: 'adopt',
        message: `${d.kind} ${object.naturalKey} (id ${object.id}) is adopted into state (no write)`,
      },
    ],
    patch: [],
    before,
    after: { ...before },
    execution: 'api',
    risk: 'low',
    id: object.id,
    naturalKey: d.naturalKey,
    remoteFingerprint: remoteFingerprint(object),
    name: d.name,
    dependencies: d.dependencies,
    ...lifecycleOf(d),
    dependsOn: [],
    ...(credentials ? { credentials } : {}),
  };
}

/** The lifecycle settings state keeps (those that matter once the resource is removed), as the planner does. */
function lifecycleOf(d: DesiredResource): Pick<PlannedChange, 'lifecycle'> {
  const lifecycle: NonNullable<PlannedChange['lifecycle']> = {};
  if (d.lifecycle.preventDestroy) lifecycle.preventDestroy = true;
  if (d.lifecycle.onRemove) lifecycle.onRemove = d.lifecycle.onRemove;
  return Object.keys(lifecycle).length > 0 ? { lifecycle } : {};
}

/**
 * A plan of `import` changes (and addresses to `forget`), so the executor records adopted objects
 * exactly as apply does: `roster import`, and the reconciliation of a crashed apply's journal.
 */
export function recordingPlan(
  changes: PlannedChange[],
  lineage: string,
  serial: number,
  now: Date,
  forget: string[] = [],
): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: 'normal',
    lineage,
    serial,
    createdAt: now.toISOString(),
    summary: summarizeChanges(changes),
    changes: changes.map((c, index) => ({ ...c, index, dependsOn: [] })),
    drift: [],
    attestations: [],
    findings: [],
    permissions: [],
    diagnostics: [],
    stats: { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 },
    sources: [],
    blockedReplacements: [],
    forget,
    accept: [],
    providers: [],
  };
}
