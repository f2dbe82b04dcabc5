import {
  buildInventory,
  type InventoryReport,
  makePlan,
  type Plan,
  type Project,
  type RemoteSnapshot,
  type StateDocument,
} from '@roster/core';
import { withConnections } from './connections.js';
import { type CommonOptions, type RunContext, readReportState } from './context.js';

/** What one refresh of every kind gives `roster inventory` and `roster review`. */
export interface RefreshedInventory {
  inventory: InventoryReport;
  /** The refresh-only plan the inventory was built from, its snapshot and the state it read. */
  plan: Plan;
  remote: RemoteSnapshot;
  state: StateDocument;
  now: Date;
}

/**
 * Read the state and every kind of every system with the read-only credentials (unmanaged objects
 * included, as `roster drift` does), and build the inventory; `use` runs while the connections are
 * open.
 */
export async function refreshInventory<T>(
  req: {
    command: string;
    opts: CommonOptions & { allowEmptyState?: boolean };
    ctx: RunContext;
    project: Project;
    staleAfterDays?: number;
  },
  use: (refreshed: RefreshedInventory) => Promise<T> | T,
): Promise<T> {
  const { ctx, opts, project } = req;
  const state = await readReportState(req.command, ctx, project, opts);
  return withConnections(
    ctx,
    opts,
    { providers: project.providers.values(), readOnly: true },
    async (connections) => {
      const now = new Date();
      const { plan, remote } = await makePlan({
        project,
        state,
        connections,
        mode: 'refresh-only',
        listAllKinds: true,
        log: ctx.log,
      });
      const inventory = buildInventory({
        project,
        plan,
        remote,
        state,
        now,
        ...(req.staleAfterDays !== undefined ? { staleAfterDays: req.staleAfterDays } : {}),
      });
      return use({ inventory, plan, remote, state, now });
    },
  );
}
