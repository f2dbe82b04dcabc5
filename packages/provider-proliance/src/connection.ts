import type { CheckedResource, ConnectionStats, ProviderCheckResult, ProviderConnection } from '@roster/core';
import { checkOwners } from './checks.js';
import type { ParsedExport } from './client/format.js';
import type { ExportSource } from './client/source.js';

/**
 * A session with one Proliance system, which roster knows only through the registers' CSV export
 * (`ExportSource`): the kinds' `list` and `read` and the plan-time `validate` read it. There is
 * nothing to write to (every change is a runbook step) and no `test` (an integration account
 * cannot log on).
 */
export class ProlianceConnection implements ProviderConnection {
  constructor(readonly source: ExportSource) {}

  /** The export as last read (re-read when a file changed). */
  export(): Promise<ParsedExport> {
    return this.source.load();
  }

  /**
   * Plan-time checks against the export: each integration account's owner exists and is active,
   * and its account name is free (see `checkOwners`).
   */
  async validate(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult> {
    return checkOwners({ export: await this.source.load(), resources: req.resources });
  }

  /** No API calls: reading the export is reading files. */
  stats(): ConnectionStats {
    return { apiCalls: 0, throttled: 0 };
  }

  async close(): Promise<void> {}
}
