import type { Project } from '../project/project.js';
import { appliedSodPacks, sodReportEntries } from '../sod/report.js';
import type { Population } from './population.js';
import type { InventoryConflict } from './types.js';

/**
 * The SoD conflicts among every member of the population, as the systems hold them now: the
 * `roster sod` engine over the inventory's world, so an unmanaged account's conflicts show too.
 * Pure.
 */
export function inventoryConflicts(
  project: Pick<Project, 'providers' | 'policies'>,
  population: Population,
): InventoryConflict[] {
  const accounts = population.members.filter((m) => m.seen !== 'gone').map((m) => m.resource);
  return sodReportEntries({
    project,
    packs: appliedSodPacks(project),
    world: population.world,
    accounts,
  }).map((e) => ({
    address: e.address,
    rule: e.rule,
    pack: e.pack,
    message: e.message,
    severity: e.severity,
    permissions: e.held.flatMap((h) => h.permissions),
    ...(e.file ? { file: e.file, line: e.line!, column: e.column! } : {}),
    ...(e.excepted ? { excepted: e.excepted } : {}),
  }));
}
