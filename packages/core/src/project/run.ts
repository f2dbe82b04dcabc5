import { readFileSync } from 'node:fs';
import { type Diagnostic, hasErrors, UserError } from '../diagnostics.js';
import { isUnreadable } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import { policyRules } from '../manifest/load.js';
import { assemblePlan } from '../plan/assemble.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import { reviewPlan } from '../plan/review.js';
import type { Plan, PlanProvider } from '../plan/types.js';
import type { ProgressListener } from '../progress.js';
import type { Provider } from '../provider.js';
import { Secret } from '../secret.js';
import type { StateDocument } from '../state/types.js';
import { withConnectionRules } from './connection-rules.js';
import { type ConfiguredProvider, type Project, planProviders } from './project.js';
import { type Connections, kindsToRefresh, refresh } from './refresh.js';
import type { RefreshMode } from './refresh-per-object.js';

export interface MakePlanRequest {
  project: Project;
  state: StateDocument;
  /** Open connections; `undefined` when the manifests have errors (nothing is read). */
  connections: Connections | undefined;
  mode: 'normal' | 'refresh-only';
  targets?: ReadonlySet<string>;
  replace?: ReadonlySet<string>;
  /**
   * Also list every kind each provider can read, not only those the manifests and state use
   * (`roster drift` looks for unmanaged objects). One bulk list per kind, like any refresh.
   */
  listAllKinds?: boolean;
  /**
   * How to read the systems (default `bulk`: each kind's bulk list). `per-object` reads each object
   * in state by id, `concurrency` at a time (default 10): how Terraform refreshes, for comparison.
   * `listAllKinds` always lists in bulk (an unmanaged object has no id roster knows).
   */
  refresh?: { mode: RefreshMode; concurrency?: number };
  log: Logger;
  now?: Date;
  /** Told as the refresh advances (progress on a terminal). */
  onProgress?: ProgressListener;
}

/** Refresh what the manifests and state use, then assemble the plan (the planning itself is pure). */
export async function makePlan(req: MakePlanRequest): Promise<{ plan: Plan; remote: RemoteSnapshot }> {
  const { project } = req;
  let remote: RemoteSnapshot = new Map();
  let refreshMs = 0;
  let refreshMode: RefreshMode | undefined;
  const remoteDiagnostics: Diagnostic[] = [];
  if (req.connections && !hasErrors(project.diagnostics)) {
    const kinds = kindsToRefresh(project.desired, req.state, new Set(project.providers.keys()));
    if (req.listAllKinds) {
      for (const p of project.providers.values()) {
        const set = kinds.get(p.name) ?? new Set<string>();
        for (const kind of Object.keys(p.provider.kinds)) set.add(kind);
        kinds.set(p.name, set);
      }
    }
    refreshMode = req.listAllKinds ? 'bulk' : (req.refresh?.mode ?? 'bulk');
    const r = await refresh({
      connections: req.connections,
      kinds,
      log: req.log,
      unreadable: (p, k) => isUnreadable(project.kindOf(p, k)),
      mode: refreshMode,
      ...(req.refresh?.concurrency !== undefined ? { concurrency: req.refresh.concurrency } : {}),
      state: req.state,
      desired: project.desired,
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    remote = r.remote;
    refreshMs = r.ms;
    remoteDiagnostics.push(...(await validateRemote(project, req.connections)));
  }
  const started = performance.now();
  const stats = req.connections?.stats() ?? { apiCalls: 0, apiCallsByProvider: {}, throttled: 0 };
  const plan = planProject({
    project: req.connections
      ? { ...project, kindOf: withConnectionRules(project.kindOf, req.connections) }
      : project,
    state: req.state,
    remote,
    mode: req.mode,
    ...(req.targets ? { targets: req.targets } : {}),
    ...(req.replace ? { replace: req.replace } : {}),
    stats: { ...stats, refreshMs, planMs: 0, ...(refreshMode ? { refreshMode } : {}) },
    diagnostics: remoteDiagnostics,
    now: req.now ?? new Date(),
  });
  plan.stats.planMs = Math.round(performance.now() - started);
  return { plan, remote };
}

/**
 * Plan a loaded project against state and a refreshed snapshot: assemble (match, diff, rules), then
 * review (effective permissions, policies). Pure: no I/O, no clock but `now`.
 */
export function planProject(req: {
  project: Project;
  state: StateDocument;
  remote: RemoteSnapshot;
  mode: 'normal' | 'refresh-only';
  targets?: ReadonlySet<string>;
  replace?: ReadonlySet<string>;
  stats: Plan['stats'];
  /** Diagnostics beyond the project's own (e.g. the providers' checks against their systems). */
  diagnostics?: readonly Diagnostic[];
  now: Date;
}): Plan {
  const { project } = req;
  const plan = assemblePlan({
    mode: req.mode,
    desired: project.desired,
    order: project.order,
    state: req.state,
    remote: req.remote,
    kindOf: project.kindOf,
    replace: req.replace ?? new Set(),
    ...(req.targets && req.targets.size > 0 ? { targets: req.targets } : {}),
    providers: planProviders(project),
    sources: project.files,
    stats: req.stats,
    diagnostics: [...project.diagnostics, ...(req.diagnostics ?? [])],
    now: req.now,
    attestationMaxAgeDays: new Map(
      [...project.providers.values()]
        .filter((p) => p.attestationMaxAgeDays !== undefined)
        .map((p) => [p.name, p.attestationMaxAgeDays!]),
    ),
  });
  reviewPlan(plan, {
    desired: project.desired,
    providerTypes: new Map([...project.providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: project.kindOf,
    rules: policyRules([...new Set([...project.providers.values()].map((p) => p.provider))]),
    settings: project.policies,
    state: req.state,
    now: req.now,
  });
  return plan;
}

/** Each provider's checks that need its system's data, placed at the manifest lines. */
async function validateRemote(project: Project, connections: Connections): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const [name, conn] of connections.byName) {
    if (!conn.validate) continue;
    const desired = project.desired.filter((d) => d.provider === name);
    const byAddress = new Map(desired.map((d) => [d.address, d]));
    const result = await conn.validate({
      resources: desired.map((d) => ({
        address: d.address,
        kind: d.kind,
        name: d.name,
        labels: d.labels,
        spec: d.spec,
      })),
    });
    for (const d of result.diagnostics) {
      const pos = byAddress.get(d.address)?.positionOf(`/spec${d.path}`);
      out.push({
        severity: d.severity,
        code: d.code,
        message: d.message,
        address: d.address,
        ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
      });
    }
  }
  return out;
}

/**
 * Provider configurations for applying a saved plan: the provider code by type, the write
 * credentials read again from where the manifest said (`env:`/`file:`), never from the plan.
 */
export function providersFromPlan(
  saved: PlanProvider[],
  available: Provider[],
  env: NodeJS.ProcessEnv = process.env,
): Map<string, ConfiguredProvider> {
  const out = new Map<string, ConfiguredProvider>();
  for (const p of saved) {
    const provider = available.find((x) => x.type === p.type);
    if (!provider)
      throw new UserError(`the plan uses provider type ${p.type}, which this roster does not have`);
    const credentials: Record<string, Secret> = {};
    for (const [key, origin] of Object.entries(p.credentials)) {
      credentials[key] = readOrigin(origin, env);
    }
    out.set(p.name, {
      name: p.name,
      provider,
      // A saved plan carries no manifest document; nothing downstream needs one to connect.
      document: undefined as never,
      config: p.config,
      credentials,
      // Apply signs in with the write set only: the read set's values are never read here, but
      // its presence lets apply say clearly why a plan made with read credentials alone cannot apply.
      ...(p.readCredentials ? { readCredentials: {} } : {}),
      sandbox: p.sandbox,
    });
  }
  return out;
}

function readOrigin(origin: string, env: NodeJS.ProcessEnv): Secret {
  if (origin.startsWith('env:')) {
    const name = origin.slice(4);
    const v = env[name];
    if (v === undefined)
      throw new UserError(`environment variable ${name} is not set (the plan's credentials read it)`);
    return new Secret(v, origin);
  }
  if (origin.startsWith('file:')) {
    const file = origin.slice(5);
    try {
      return new Secret(readFileSync(file, 'utf8').replace(/\r?\n$/, ''), origin);
    } catch {
      throw new UserError(`cannot read credentials file ${file}`);
    }
  }
  throw new UserError(`unknown credential origin ${origin}`);
}
