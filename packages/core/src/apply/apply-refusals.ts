import { UserError } from '../diagnostics.js';
import { policyRules } from '../manifest/load.js';
import { recheckPlan } from '../plan/recheck.js';
import type { Plan } from '../plan/types.js';
import { defaultPolicySettings } from '../policy/config.js';
import { endpointAllowed } from '../policy/endpoints.js';
import type { ConfiguredProvider, Project } from '../project/project.js';
import type { StateDocument } from '../state/types.js';
import { type ApplyEnvironment, secretStoreFor } from './apply-run.js';
import { secretPlaceProblems } from './store-secret.js';

// The checks that refuse an apply before anything is sent, each a UserError with its remedy.

/** Refuse replacements the resource does not allow, unless `--replace ADDR` allows them. */
export function refuseBlocked(plan: Plan, replace: readonly string[] | undefined): void {
  const allowed = new Set(replace ?? []);
  const blocked = plan.blockedReplacements.filter((a) => !allowed.has(a));
  if (blocked.length > 0) {
    throw new UserError(
      `refusing to replace ${blocked.join(', ')}: a replacement creates a new object (a service account gets new credentials and its integrations break). Set lifecycle.allowReplace: true on the resource, or pass --replace ${blocked[0]}`,
    );
  }
}

/**
 * Refuse, before anything is applied, a plan whose secrets shown once would go where roster may
 * not write them: once a system has shown a secret, not storing it would lose it.
 */
export async function refuseSecretPlaces(plan: Plan, env: ApplyEnvironment): Promise<void> {
  const problems = await secretPlaceProblems(plan.changes, secretStoreFor(env).checkSecretPlace);
  if (problems.length > 0) {
    throw new UserError(
      `apply refused: a secret the system shows once could not be stored:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** With -f, the manifests' Policy endpoints allow-list holds for a saved plan's providers too. */
export function refuseEndpoints(file: string, plan: Plan, project: Project | undefined): void {
  const allowList = project?.policies.endpoints;
  for (const p of allowList ? plan.providers : []) {
    const endpoint = p.config.endpoint;
    if (
      typeof endpoint === 'string' &&
      endpoint.includes('://') &&
      !endpointAllowed(endpoint, allowList?.get(p.type)?.patterns ?? [])
    )
      throw new UserError(
        `${file}: the endpoint ${endpoint} of provider ${p.name} is not in the Policy endpoints allow-list of the manifests; nothing was sent`,
      );
  }
}

/**
 * Check the saved plan's changes again — policies, kind checks, replacements — instead of trusting
 * the findings it carries: a plan file can be edited, and without `ROSTER_PLAN_KEY` nothing shows it.
 * Refuses on any error, signed plan or not.
 */
export function refuseOnRecheck(
  file: string,
  plan: Plan,
  state: StateDocument,
  providers: ReadonlyMap<string, ConfiguredProvider>,
  project: Project | undefined,
  replace: readonly string[] | undefined,
): void {
  const rules = policyRules([...new Set([...providers.values()].map((p) => p.provider))]);
  const { findings, blocking } = recheckPlan({
    plan,
    state,
    providerTypes: new Map([...providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: (p, k) => providers.get(p)?.provider.kinds[k],
    rules,
    settings: project?.policies ?? defaultPolicySettings(rules),
    now: new Date(),
    ...(project ? { desired: project.desired } : {}),
    replace: new Set(replace ?? []),
  });
  if (blocking.length === 0) return;
  const recorded = (plan.findings ?? []).filter((f) => f.severity === 'error' && !f.excepted).length;
  const edited =
    recorded === 0 && findings.some((f) => f.severity === 'error' && !f.excepted)
      ? ' (the plan file reports none: it was edited, or made with other policies)'
      : '';
  throw new UserError(
    `${file} cannot be applied: checked again before applying, its changes are refused${edited}:\n${blocking.map((b) => `  - ${b}`).join('\n')}`,
  );
}
