import type { Diagnostic } from '../diagnostics.js';
import type { World, WorldResource } from '../permissions/types.js';
import type { Finding, PlannedChange } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import type { PolicySettings } from './config.js';
import type { PolicyRule } from './types.js';

export interface EvaluatePoliciesRequest {
  rules: readonly PolicyRule[];
  settings: PolicySettings;
  /** The world after the plan. */
  world: World;
  /** The world before the plan, and its changes (what custom rules compare); omitted: none known. */
  before?: World;
  changes?: readonly PlannedChange[];
  /** Addresses of the resources in the manifests. */
  desired: ReadonlySet<string>;
  state: StateDocument;
  now: Date;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

/**
 * Run every enabled rule over the world the plan leaves, and turn its hits into findings at their
 * manifest lines; an exception keeps the finding (with its reason) but it no longer counts. A
 * warning says when an exception matched nothing (a stale exception hides nothing, but misleads).
 * Pure.
 */
export function evaluatePolicies(req: EvaluatePoliciesRequest): {
  findings: Finding[];
  diagnostics: Diagnostic[];
} {
  const desired: WorldResource[] = req.world.resources.filter((r) => req.desired.has(r.address));
  const findings: Finding[] = [];
  const used = new Set<number>();
  for (const rule of [...req.rules, ...(req.settings.custom ?? [])]) {
    const cfg = req.settings.rules.get(rule.id);
    if (!cfg?.enabled || !rule.evaluate) continue;
    const hits = rule.evaluate({
      world: req.world,
      desired,
      permissionsOf: (r) => req.world.permissionsOf(r),
      state: req.state,
      now: req.now,
      kindOf: req.kindOf,
      options: cfg.options,
      ...(req.before ? { before: req.before } : {}),
      ...(req.changes ? { changes: req.changes } : {}),
    });
    for (const hit of hits) {
      const resource = req.world.get(hit.address);
      const at = resource?.positionOf?.(hit.pointer ?? '/metadata/name') ?? resource?.positionOf?.('');
      const i = req.settings.exceptions.findIndex((e) => e.rule === rule.id && e.matcher.test(hit.address));
      if (i >= 0) used.add(i);
      const exception = i >= 0 ? req.settings.exceptions[i] : undefined;
      findings.push({
        policy: rule.id,
        severity: cfg.severity,
        address: hit.address,
        message: hit.message,
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
      });
    }
  }
  // Rules the inventory judges never fire here: their exceptions are checked by `roster inventory`.
  const elsewhere = new Set(req.rules.filter((r) => r.judgedBy === 'inventory').map((r) => r.id));
  const diagnostics: Diagnostic[] = req.settings.exceptions.flatMap((e, i) =>
    used.has(i) || elsewhere.has(e.rule)
      ? []
      : [
          {
            severity: 'warning' as const,
            code: 'policy.unused-exception',
            message: `the exception of ${e.address} from ${e.rule} matched no finding: remove it, or fix its address`,
            ...e.position,
          },
        ],
  );
  findings.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
      (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
  );
  return { findings, diagnostics };
}

const rank = (s: Finding['severity']) => (s === 'error' ? 0 : s === 'warning' ? 1 : 2);

/**
 * Findings as diagnostics, to print one line each (`file:line:column: error[policy/<id>]: …`); an
 * excepted finding prints as info with its reason.
 */
export function findingsAsDiagnostics(findings: readonly Finding[]): Diagnostic[] {
  return findings.map((f) => ({
    severity: f.excepted ? 'info' : f.severity,
    code: `policy/${f.policy}`,
    message: f.excepted
      ? `${f.message} (excepted at ${f.excepted.file}:${f.excepted.line}: ${f.excepted.reason})`
      : f.message,
    address: f.address,
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
    ...(f.column ? { column: f.column } : {}),
  }));
}

/** Findings that block: errors nobody excepted. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' && !f.excepted);
}
