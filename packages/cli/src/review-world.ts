import {
  type AuditEntry,
  declaredActiveAddresses,
  hasErrors,
  type InventoryReport,
  type Project,
  pendingAddresses,
  planProject,
  readAuditLog,
} from '@roster/core';
import type { CommonOptions, RunContext } from './context.js';
import { printDiagnostics } from './output.js';
import { refreshInventory } from './refresh-inventory.js';

/** The systems as they are now, for starting, checking and reporting a review. */
export interface ReviewWorld {
  inventory: InventoryReport;
  /** Addresses the manifests declare and do not deactivate. */
  declaredActive: Set<string>;
  /** Addresses the manifests would still change (a normal plan over the same refresh). */
  pending: Set<string>;
}

/**
 * Refresh every kind (unmanaged objects included, as `roster inventory` does), build the
 * inventory, and plan the manifests over the same read (one refresh, two plans: the refresh-only
 * plan gives drift, the normal one what is still to apply). Errors are printed and give undefined.
 */
export async function refreshReviewWorld(
  command: string,
  opts: CommonOptions & { allowEmptyState?: boolean },
  ctx: RunContext,
  project: Project,
): Promise<ReviewWorld | undefined> {
  return refreshInventory({ command, opts, ctx, project }, ({ inventory, plan, remote, state, now }) => {
    if (hasErrors(inventory.diagnostics)) {
      printDiagnostics(inventory.diagnostics);
      return undefined;
    }
    const normal = planProject({ project, state, remote, mode: 'normal', stats: plan.stats, now });
    return {
      inventory,
      declaredActive: declaredActiveAddresses(project.desired, project.kindOf),
      pending: pendingAddresses(normal),
    };
  });
}

/** The audit log: the team backend's when it keeps one, else `.roster/audit.jsonl`. */
export async function readAuditFor(ctx: RunContext): Promise<AuditEntry[]> {
  const backend = ctx.backend.backend();
  return backend.readAudit ? backend.readAudit() : readAuditLog(ctx.stateDir);
}
