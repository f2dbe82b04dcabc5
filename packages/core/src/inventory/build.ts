import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import type { Plan } from '../plan/types.js';
import type { Project } from '../project/project.js';
import type { StateDocument } from '../state/types.js';
import { inventoryAccount } from './account.js';
import { inventoryConflicts } from './conflicts.js';
import { inventoryFindings } from './findings/judge.js';
import { STALE_RULE, staleAfterDaysOf } from './findings/rules.js';
import { inventoryPopulation } from './population.js';
import type { InventoryReport } from './types.js';

export interface BuildInventoryRequest {
  project: Pick<Project, 'desired' | 'providers' | 'policies' | 'kindOf'>;
  /** A refresh-only plan made with `listAllKinds: true` (its drift, its diagnostics). */
  plan: Plan;
  /** What that plan's refresh read. */
  remote: RemoteSnapshot;
  state: StateDocument;
  now: Date;
  /** `--stale-days`: overrides the `inventory.stale` option `days` for this report. */
  staleAfterDays?: number;
}

/**
 * Every account and connection the systems hold — managed, unmanaged and deactivated — with its
 * owner, roles, effective permissions, credential and attestation ages, drift and last use; the
 * findings of the inventory rules and the SoD conflicts among them. The steps: the population and
 * its world (`population.ts`), a row per member (`account.ts`), the findings (`findings/`), the
 * conflicts (`conflicts.ts`). Pure.
 */
export function buildInventory(req: BuildInventoryRequest): InventoryReport {
  const { project } = req;
  const population = inventoryPopulation({
    desired: project.desired,
    state: req.state,
    remote: req.remote,
    providerTypes: new Map([...project.providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: project.kindOf,
  });
  const drift = new Map(req.plan.drift.map((d) => [d.address, d]));
  const accounts = population.members.map((m) =>
    inventoryAccount(m, { world: population.world, drift, now: req.now, kindOf: project.kindOf }),
  );
  const staleAfterDays = staleAfterDaysOf(
    project.policies.rules.get(STALE_RULE)?.options,
    req.staleAfterDays,
  );
  const { findings, diagnostics } = inventoryFindings({
    accounts,
    settings: project.policies,
    staleAfterDays,
    now: req.now,
  });
  return {
    formatVersion: 1,
    generatedAt: req.now.toISOString(),
    staleAfterDays,
    accounts,
    findings,
    conflicts: inventoryConflicts(project, population),
    diagnostics: [...req.plan.diagnostics, ...diagnostics],
  };
}

/**
 * What `roster inventory` exits 2 for: a finding or an SoD conflict of severity `error` that no
 * exception covers.
 */
export function inventoryBlocking(report: InventoryReport): boolean {
  return (
    report.findings.some((f) => f.severity === 'error' && !f.excepted) ||
    report.conflicts.some((c) => c.severity === 'error' && !c.excepted)
  );
}
