import type { Diagnostic } from '../diagnostics.js';
import { planWorlds } from '../permissions/effective.js';
import type { World, WorldResource } from '../permissions/types.js';
import type { Plan } from '../plan/types.js';
import type { PolicySeverity } from '../policy/types.js';
import type { Project } from '../project/project.js';
import { mergeSodPacks, sodConflictMessage, sodConflicts, sodSubjects } from './engine.js';
import { sodRuleId } from './policy.js';
import type { SodConflict, SodPack } from './types.js';

/** `roster sod --format json` (schemas/sod.schema.json): the conflicts the systems hold now. */
export interface SodReport {
  formatVersion: 1;
  /** The packs applied, as the providers ship them and the Policy documents configure them. */
  packs: Array<{ id: string; version: number; rules: number; severity: PolicySeverity }>;
  conflicts: SodReportEntry[];
  diagnostics: Diagnostic[];
}

/** A conflict, with its severity, manifest line and Policy exception. */
export interface SodReportEntry extends SodConflict {
  severity: PolicySeverity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Accepted by a Policy exception of `sod.<pack>`: reported, not counted. */
  excepted?: { reason: string; file: string; line: number };
}

/**
 * Every conflict of the SoD packs among the accounts and connections of the project as the systems
 * hold them now: the side before `plan` (a plan made against refreshed state), so what the
 * manifests would change is not yet counted, and what they would remove still is. A pack a Policy
 * turns off (`sod.<pack>: {enabled: false}`) is not applied. Pure.
 */
export function buildSodReport(req: { project: Project; plan: Plan }): SodReport {
  const { project, plan } = req;
  const packs = appliedSodPacks(project);
  const { before } = planWorlds({
    desired: project.desired,
    changes: plan.changes,
    providerTypes: new Map([...project.providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: project.kindOf,
  });
  const conflicts = sodReportEntries({
    project,
    packs,
    world: before,
    accounts: sodSubjects(before.resources, project.kindOf),
  });
  return {
    formatVersion: 1,
    packs: packs.map((p) => ({
      id: p.id,
      version: p.version,
      rules: p.rules.length,
      severity: sodSeverity(project, p.id),
    })),
    conflicts,
    diagnostics: plan.diagnostics,
  };
}

type SodProject = Pick<Project, 'providers' | 'policies'>;

/** The packs the project's providers ship, less those a Policy turns off (`sod.<pack>: {enabled: false}`). */
export function appliedSodPacks(project: SodProject): SodPack[] {
  const providers = [...new Set([...project.providers.values()].map((p) => p.provider))];
  return mergeSodPacks(providers.flatMap((p) => p.sodRules ?? [])).filter(
    (p) => project.policies.rules.get(sodRuleId(p.id))?.enabled !== false,
  );
}

const sodSeverity = (project: SodProject, pack: string): PolicySeverity =>
  project.policies.rules.get(sodRuleId(pack))?.severity ?? 'error';

/**
 * The conflicts of `accounts` in `world`, each with its pack's severity, its manifest line (for a
 * resource the manifests declare) and the Policy exception that accepts it, sorted by address then
 * rule. Pure.
 */
export function sodReportEntries(req: {
  project: SodProject;
  packs: readonly SodPack[];
  world: World;
  accounts: readonly WorldResource[];
}): SodReportEntry[] {
  const { project, world } = req;
  const conflicts = sodConflicts({ packs: req.packs, world, accounts: req.accounts }).map(
    (c): SodReportEntry => {
      const r = world.get(c.address);
      const at = r?.positionOf?.(c.pointer ?? '/metadata/name');
      const exception = project.policies.exceptions.find(
        (e) => e.rule === sodRuleId(c.pack) && e.matcher.test(c.address),
      );
      return {
        ...c,
        severity: sodSeverity(project, c.pack),
        message: sodConflictMessage(c),
        ...(at ? { file: at.file, line: at.line, column: at.column } : {}),
        ...(exception
          ? {
              excepted: {
                reason: exception.reason,
                file: exception.position.file,
                line: exception.position.line,
              },
            }
          : {}),
      };
    },
  );
  conflicts.sort((a, b) =>
    a.address !== b.address
      ? a.address < b.address
        ? -1
        : 1
      : a.rule < b.rule
        ? -1
        : a.rule > b.rule
          ? 1
          : 0,
  );
  return conflicts;
}

/** Conflicts nobody excepted: `roster sod` exits 2 when there are any. */
export function sodConflictsFound(report: SodReport): boolean {
  return report.conflicts.some((c) => !c.excepted);
}
