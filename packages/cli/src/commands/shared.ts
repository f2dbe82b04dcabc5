import {
  PLAN_FORMAT_VERSION,
  type Plan,
  type Project,
  type StateDocument,
  summarizeChanges,
} from '@roster/core';

/** The plan document printed when manifests have errors: nothing refreshed, diagnostics inside. */
export function emptyPlanFor(project: Project, state: StateDocument, mode: Plan['mode']): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode,
    lineage: state.lineage,
    serial: state.serial,
    createdAt: new Date().toISOString(),
    summary: summarizeChanges([]),
    changes: [],
    drift: [],
    attestations: [],
    findings: [],
    diagnostics: project.diagnostics,
    stats: { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 },
    sources: project.files,
    blockedReplacements: [],
    forget: [],
    accept: [],
    providers: [],
  };
}
