import { UserError } from '../diagnostics.js';
import { nearest } from '../manifest/suggest.js';
import { plural } from '../render/plural.js';
import { emptyStateDocument } from './document.js';
import type { StateBackend } from './types.js';
import { withStateLock } from './with-lock.js';

/** The workspace every backend has, stored or not (Terraform's `default`). */
export const DEFAULT_WORKSPACE = 'default';

/** Workspace names: short, and safe in file names, messages and lock keys. */
export const WORKSPACE_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** Throw a `UserError` unless `name` is a valid workspace name. */
export function checkWorkspaceName(name: string): void {
  if (!WORKSPACE_NAME_PATTERN.test(name))
    throw new UserError(
      `workspace ${JSON.stringify(name)} is not a valid name: lowercase letters, digits, '.', '_' and '-', at most 63 characters, starting with a letter or digit`,
    );
}

/**
 * A state backend that keeps several named states (workspaces), each with its own lock. The
 * `default` workspace always exists (stored or not); any other exists once `createWorkspace` made it.
 */
export interface WorkspaceBackend extends StateBackend {
  /** The workspace this backend reads and writes. */
  readonly workspace: string;
  /** Where the workspaces are kept, for messages (no secrets). */
  readonly workspacesLocation: string;
  /** The names of the stored workspaces (`default` only when it holds a state). */
  storedWorkspaces(): Promise<string[]>;
  /** Remove workspace `name`'s state; the caller holds that workspace's lock. */
  deleteWorkspace(name: string): Promise<void>;
  /** Tidy up after a delete, once its lock is released (the local backend removes the directory). */
  pruneWorkspace?(name: string): Promise<void>;
  /** The same store, on workspace `name`. */
  withWorkspace(name: string): WorkspaceBackend;
}

export function isWorkspaceBackend(b: StateBackend): b is WorkspaceBackend {
  const w = b as Partial<WorkspaceBackend>;
  return typeof w.workspace === 'string' && typeof w.storedWorkspaces === 'function';
}

/** Every workspace, `default` first, then the others by name. */
export async function listWorkspaces(backend: WorkspaceBackend): Promise<string[]> {
  const stored = (await backend.storedWorkspaces()).filter((w) => w !== DEFAULT_WORKSPACE).sort();
  return [DEFAULT_WORKSPACE, ...stored];
}

/** "existing workspaces: default, prod (did you mean prod?)" for a name that is not one of them. */
function existingHint(name: string, all: readonly string[]): string {
  const near = nearest(name, all);
  return `existing workspaces: ${all.join(', ')}${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`;
}

/**
 * Refuse a selected workspace that does not exist: selecting one is never a way to create it (a
 * mistyped `ROSTER_WORKSPACE` would otherwise read as an empty state, and drift would find nothing).
 */
export async function requireWorkspace(backend: WorkspaceBackend): Promise<void> {
  const name = backend.workspace;
  if (name === DEFAULT_WORKSPACE) return;
  const all = await listWorkspaces(backend);
  if (all.includes(name)) return;
  throw new UserError(
    `workspace ${name} does not exist in ${backend.workspacesLocation}; ${existingHint(name, all)}; to create it: roster workspace new ${name}`,
  );
}

/** `roster workspace new NAME`: create an empty workspace (a first run there is then explicit). */
export async function createWorkspace(backend: WorkspaceBackend, name: string): Promise<void> {
  checkWorkspaceName(name);
  if (name === DEFAULT_WORKSPACE)
    throw new UserError(`workspace ${DEFAULT_WORKSPACE} always exists; it need not be created`);
  const exists = () => new UserError(`workspace ${name} already exists in ${backend.workspacesLocation}`);
  if ((await listWorkspaces(backend)).includes(name)) throw exists();
  const target = backend.withWorkspace(name);
  // Under the new workspace's lock, as a real (empty) state of serial 1: from then on it exists, and
  // a plan there starts from it without --allow-empty-state.
  await withStateLock(target, 'workspace new', async () => {
    if ((await target.read()).serial !== 0) throw exists();
    await target.write({ ...emptyStateDocument(), serial: 1 }, 0);
  });
}

export interface DeleteWorkspaceRequest {
  backend: WorkspaceBackend;
  name: string;
  /** Delete even when its state still holds resources (roster then forgets them; the systems keep them). */
  force?: boolean;
  /** The workspace this run has selected (`--workspace`, `ROSTER_WORKSPACE`, …): never deleted. */
  current: string;
  lockTimeoutMs?: number;
}

/**
 * `roster workspace delete NAME`, under that workspace's lock: refuses `default`, the current
 * workspace, an unknown one, and one whose state still holds resources unless `force`. Returns the
 * number of resources forgotten.
 */
export async function deleteWorkspace(req: DeleteWorkspaceRequest): Promise<number> {
  const { backend, name } = req;
  checkWorkspaceName(name);
  if (name === DEFAULT_WORKSPACE) throw new UserError(`workspace ${DEFAULT_WORKSPACE} cannot be deleted`);
  if (name === req.current)
    throw new UserError(
      `workspace ${name} is the current workspace (--workspace, ROSTER_WORKSPACE or the Backend document): select another one to delete it`,
    );
  const all = await listWorkspaces(backend);
  if (!all.includes(name))
    throw new UserError(
      `workspace ${name} does not exist in ${backend.workspacesLocation}; ${existingHint(name, all)}`,
    );
  const target = backend.withWorkspace(name);
  const forgotten = await withStateLock(
    target,
    'workspace delete',
    async () => {
      const state = await target.read();
      const addresses = Object.keys(state.resources).sort();
      if (addresses.length > 0 && req.force !== true) {
        const shown = addresses.slice(0, 3).join(', ');
        throw new UserError(
          `workspace ${name} still holds ${plural(addresses.length, 'resource')} (${shown}${addresses.length > 3 ? ', …' : ''}): deleting it would make roster forget them while the systems keep them. Remove them first (roster apply with their manifests removed, or roster state rm), or pass --force`,
        );
      }
      await target.deleteWorkspace(name);
      return addresses.length;
    },
    req.lockTimeoutMs !== undefined ? { timeoutMs: req.lockTimeoutMs } : {},
  );
  await backend.pruneWorkspace?.(name);
  return forgotten;
}
