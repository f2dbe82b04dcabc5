import type { Diagnostic } from '../diagnostics.js';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import type { PolicySettings } from '../policy/config.js';
import { blockingFindings, evaluatePolicies } from '../policy/evaluate.js';
import type { PolicyRule } from '../policy/types.js';
import type { KindDefinition } from '../provider.js';
import { plural } from '../render/plural.js';
import type { StateDocument } from '../state/types.js';
import { stableStringify } from './canonical.js';
import type { DesiredResource } from './desired.js';
import type { Finding, Plan } from './types.js';

export interface RecheckPlanRequest {
  plan: Pick<Plan, 'changes' | 'findings' | 'mode'>;
  /** State as apply found it (the resources the plan leaves alone). */
  state: StateDocument;
  /** Provider name → its `type`. */
  providerTypes: ReadonlyMap<string, string>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  rules: readonly PolicyRule[];
  /** From the manifests' `kind: Policy` documents when apply was given them, else the defaults. */
  settings: PolicySettings;
  now: Date;
  /**
   * The manifests' resources, when apply was given them (`-f`): their labels and lines, and their
   * `lifecycle.allowReplace` for the replacements.
   */
  desired?: readonly DesiredResource[];
  /** `--replace` addresses. */
  replace?: ReadonlySet<string>;
}

export interface RecheckResult {
  /** Every finding of the policies over the world the plan's changes leave. */
  findings: Finding[];
  /** What blocks the plan: error findings nobody excepted, failed kind checks, replacements not allowed. */
  blocking: string[];
}

/**
 * Check a saved plan again, as it stands, before it is applied: a plan file is data anyone who can
 * write it may have edited (without `ROSTER_PLAN_KEY` its checksum is recomputed in a second), so
 * the results it merely reports — `findings`, the kind checks in `diagnostics`,
 * `blockedReplacements` — are worked out again here and never read from it.
 *
 * - **Policies** run over the world the plan leaves: each changed resource as its last change's
 *   `after` (gone when deleted), every other resource of state as state records it.
 * - **Kind checks** (`KindDefinition.check`) run on the `after` of every change.
 * - **Attribute rules**: an update may not change an `immutable` attribute; a resource state marks
 *   `preventDestroy` may not be deleted or deactivated.
 * - **Replacements**, when the manifests are given, need `lifecycle.allowReplace` or `--replace`.
 *
 * Pure.
 */
export function recheckPlan(req: RecheckPlanRequest): RecheckResult {
  const blocking: string[] = [];
  const findings: Finding[] = [];
  if (req.plan.mode === 'refresh-only') {
    // A refresh-only plan only records in state what the systems hold; planning never gives it
    // a change, so one there was put in by hand (and no policy ran over it at plan time).
    if (req.plan.changes.length > 0)
      blocking.push(
        `the plan is refresh-only but holds ${plural(req.plan.changes.length, 'change')}: it was edited; make a new plan`,
      );
    return { findings, blocking };
  }
  const desiredBy = new Map((req.desired ?? []).map((d) => [d.address, d]));
  const last = new Map<string, Plan['changes'][number]>();
  for (const c of req.plan.changes) last.set(c.address, c);

  const resources: WorldResource[] = [];
  const desired = new Set<string>();
  const typeOf = (provider: string) => req.providerTypes.get(provider) ?? '';
  const resource = (
    address: string,
    r: { provider: string; kind: string; name: string; naturalKey: string },
    attributes: Record<string, unknown>,
  ): WorldResource => {
    const d = desiredBy.get(address);
    return {
      address,
      provider: r.provider,
      providerType: typeOf(r.provider),
      kind: r.kind,
      name: r.name,
      naturalKey: r.naturalKey,
      labels: d?.labels ?? {},
      attributes,
      ...(d ? { positionOf: (pointer: string) => d.positionOf(pointer) } : {}),
    };
  };
  for (const [address, s] of Object.entries(req.state.resources)) {
    if (last.has(address)) continue;
    resources.push(resource(address, s, s.attributes));
    desired.add(address);
  }
  for (const [address, c] of last) {
    if (c.after === null || c.action === 'delete') continue;
    resources.push(resource(address, c, c.after));
    // A resource the plan deactivates has left the manifests: it stays in the world, inactive.
    if (c.action !== 'deactivate') desired.add(address);
  }
  const world = makeWorld(resources, req.kindOf);
  // Before the plan: what state records (custom rules compare the two sides, as at plan time).
  const before = makeWorld(
    Object.entries(req.state.resources).map(([address, s]) => resource(address, s, s.attributes)),
    req.kindOf,
  );
  const evaluated = evaluatePolicies({
    rules: req.rules,
    settings: req.settings,
    world,
    before,
    changes: req.plan.changes,
    desired,
    state: req.state,
    now: req.now,
    kindOf: req.kindOf,
  });
  findings.push(...evaluated.findings);
  const recorded = new Map(
    (req.plan.findings ?? []).filter((f) => f.excepted).map((f) => [`${f.policy}\u0000${f.address}`, f]),
  );
  for (const f of blockingFindings(findings)) {
    const claimed = recorded.get(`${f.policy}\u0000${f.address}`);
    const hint = claimed
      ? ` (the plan says a Policy exception covers it; give apply the manifests that hold it with -f, so it can be checked)`
      : '';
    blocking.push(`${f.address}: error[policy/${f.policy}]: ${f.message}${hint}`);
  }

  for (const c of last.values()) {
    if (c.after === null) continue;
    const check = req.kindOf(c.provider, c.kind)?.check;
    if (!check) continue;
    let diagnostics: Array<Pick<Diagnostic, 'severity' | 'code' | 'message'>>;
    try {
      diagnostics = check({ name: c.name, spec: c.after }).diagnostics;
    } catch (err) {
      diagnostics = [
        {
          severity: 'error',
          code: 'check',
          message: `the provider's checks failed: ${err instanceof Error ? err.message : String(err)}`,
        },
      ];
    }
    for (const d of diagnostics)
      if (d.severity === 'error') blocking.push(`${c.address}: error[${d.code}]: ${d.message}`);
  }

  for (const c of req.plan.changes) {
    // Rules of the kinds that planning turns into errors, checked on the change as it stands.
    if (
      (c.action === 'delete' || c.action === 'deactivate') &&
      req.state.resources[c.address]?.lifecycle?.preventDestroy
    ) {
      blocking.push(
        `${c.address}: error[rule.prevent-destroy]: state says lifecycle.preventDestroy: true, and the plan would ${c.action} it`,
      );
    }
    if (c.action === 'update' && c.before && c.after) {
      const attributes = req.kindOf(c.provider, c.kind)?.attributes ?? {};
      for (const [key, rule] of Object.entries(attributes)) {
        if (!rule.immutable || !(key in c.after) || !(key in c.before)) continue;
        if (stableStringify(c.before[key]) !== stableStringify(c.after[key]))
          blocking.push(
            `${c.address}: error[rule.immutable]: the plan updates ${key}, which cannot change once created`,
          );
      }
    }
  }

  if (req.desired) {
    for (const c of req.plan.changes) {
      if (c.action !== 'replace' || req.replace?.has(c.address)) continue;
      if (desiredBy.get(c.address)?.lifecycle.allowReplace === true) continue;
      blocking.push(
        `${c.address}: a replacement needs lifecycle.allowReplace: true on the resource, or --replace ${c.address}`,
      );
    }
  }
  return { findings, blocking };
}
