import type { TenantResult } from './tenant-result.js';

/** Test support: a tenant's result that planned, changed and found nothing; `over` sets the rest. */
export function tenantResult(tenant: string, over: Partial<TenantResult> = {}): TenantResult {
  return {
    tenant,
    command: 'plan',
    exitCode: 0,
    outcome: 'ok',
    changes: 0,
    planned: [],
    manualSteps: 0,
    blockingFindings: 0,
    drift: [],
    drifted: 0,
    deviations: [],
    diagnostics: [],
    finishedAt: '',
    ...over,
  };
}
