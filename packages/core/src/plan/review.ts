import { hasErrors } from '../diagnostics.js';
import { permissionChanges, planWorlds } from '../permissions/effective.js';
import type { PolicySettings } from '../policy/config.js';
import { blockingFindings, evaluatePolicies } from '../policy/evaluate.js';
import type { PolicyRule } from '../policy/types.js';
import type { KindDefinition } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import type { DesiredResource } from './desired.js';
import type { Plan } from './types.js';

export interface ReviewPlanRequest {
  desired: readonly DesiredResource[];
  /** Provider name → its `type`. */
  providerTypes: ReadonlyMap<string, string>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  rules: readonly PolicyRule[];
  settings: PolicySettings;
  state: StateDocument;
  now: Date;
}

/**
 * What a reviewer needs beyond the changes: each account's effective permissions before and after
 * (`plan.permissions`), and the policy findings over the world the plan leaves (`plan.findings`).
 * Pure: it reads the plan and the manifests, and fills those two fields in place. Skipped when the
 * plan failed (its world is not known).
 */
export function reviewPlan(plan: Plan, req: ReviewPlanRequest): void {
  if (plan.mode !== 'normal' || hasErrors(plan.diagnostics)) return;
  const worlds = planWorlds({
    desired: req.desired,
    changes: plan.changes,
    providerTypes: req.providerTypes,
    kindOf: req.kindOf,
  });
  plan.permissions = permissionChanges(worlds, req.kindOf);
  const { findings, diagnostics } = evaluatePolicies({
    rules: req.rules,
    settings: req.settings,
    world: worlds.after,
    before: worlds.before,
    changes: plan.changes,
    desired: new Set(req.desired.map((d) => d.address)),
    state: req.state,
    now: req.now,
    kindOf: req.kindOf,
  });
  plan.findings = findings;
  plan.diagnostics.push(...diagnostics);
}

/** Whether a plan may be applied: no error diagnostics, and no error finding without an exception. */
export function planBlocked(plan: Pick<Plan, 'diagnostics' | 'findings'>): boolean {
  return hasErrors(plan.diagnostics) || blockingFindings(plan.findings ?? []).length > 0;
}
