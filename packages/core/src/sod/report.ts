import type { Diagnostic } from '../diagnostics.js';
import { planWorlds } from '../permissions/effective.js';
import type { Plan } from '../plan/types.js';
import type { PolicySeverity } from '../policy/types.js';
import type { Project } from '../project/project.js';
import { mergeSodPacks, sodConflictMessage, sodConflicts, sodSubjects } from './engine.js';
import { sodRuleId } from './policy.js';
import type { SodConflict } from './types.js';

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
  const providers = [...new Set([...project.providers.values()].map((p) => p.provider))];
  const packs = mergeSodPacks(providers.flatMap((p) => p.sodRules ?? [])).filter(
    (p) => project.policies.rules.get(sodRuleId(p.id))?.enabled !== false,
  );
  const severityOf = (pack: string) => project.policies.rules.get(sodRuleId(pack))?.severity ?? 'error';
  const { before } = planWorlds({
    desired: project.desired,
    changes: plan.changes,
    providerTypes: new Map([...project.providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: project.kindOf,
  });
  const conflicts = sodConflicts({
    packs,
    world: before,
    accounts: sodSubjects(before.resources, project.kindOf),
  }).map((c): SodReportEntry => {
    const r = before.get(c.address);
    const at = r?.positionOf?.(c.pointer ?? '/metadata/name');
    const exception = project.policies.exceptions.find(
      (e) => e.rule === sodRuleId(c.pack) && e.matcher.test(c.address),
    );
    return {
      ...c,
      severity: severityOf(c.pack),
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
  });
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
  return {
    formatVersion: 1,
    packs: packs.map((p) => ({
      id: p.id,
      version: p.version,
      rules: p.rules.length,
      severity: severityOf(p.id),
    })),
    conflicts,
    diagnostics: plan.diagnostics,
  };
}

/** Conflicts nobody excepted: `roster sod` exits 2 when there are any. */
export function sodConflictsFound(report: SodReport): boolean {
  return report.conflicts.some((c) => !c.excepted);
}
