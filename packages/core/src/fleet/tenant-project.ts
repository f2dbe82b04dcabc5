import path from 'node:path';
import { sortDiagnostics } from '../diagnostics.js';
import { openProject, type Project } from '../project/project.js';
import type { Provider } from '../provider.js';
import type { Fleet, TenantSource } from './load-fleet.js';
import { type TenantDocuments, tenantDocuments } from './tenant-documents.js';

/** Where a tenant's local state, lock, journal and sandboxes live: `<fleet>/.roster/tenants/<name>/`. */
export function tenantStateDir(fleet: Pick<Fleet, 'dir'>, tenant: string): string {
  return path.join(fleet.dir, '.roster', 'tenants', tenant);
}

/** A tenant's project (core's ordinary `Project`), and what the fleet derived it from. */
export interface TenantProject {
  project: Project;
  documents: TenantDocuments;
}

/**
 * Derive the tenant's documents from the parsed baseline and open them as a project: the same
 * validation, references, graph and checks as any `roster` project, with the tenant's state
 * directory. Problems are in `project.diagnostics`, never thrown.
 */
export async function openTenantProject(req: {
  fleet: Fleet;
  tenant: TenantSource;
  providers: Provider[];
  env?: NodeJS.ProcessEnv;
  now?: Date;
}): Promise<TenantProject> {
  const documents = tenantDocuments(req.fleet, req.tenant, req.now ?? new Date());
  const project = await openProject({
    paths: [],
    cwd: req.fleet.cwd,
    projectDir: req.fleet.dir,
    stateDir: tenantStateDir(req.fleet, req.tenant.name),
    providers: req.providers,
    ...(req.env ? { env: req.env } : {}),
    parsed: { documents: documents.parsed, files: documents.files },
  });
  project.diagnostics = sortDiagnostics([...documents.diagnostics, ...project.diagnostics]);
  return { project, documents };
}
