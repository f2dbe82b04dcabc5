import {
  type BackendSettings,
  DEFAULT_WORKSPACE,
  DiagnosticsError,
  isWorkspaceBackend,
  LocalStateBackend,
  type LockInfo,
  type Logger,
  requireWorkspace,
  Secret,
  type StateBackend,
  type StateDocument,
  UserError,
  type WorkspaceBackend,
} from '@roster/core';
import { type PostgresConnectionPool, PostgresStateBackend } from '@roster/state-postgres';

/** How a run chose its state backend, strongest first: `--backend`, `ROSTER_BACKEND`, a Backend document, local. */
export interface BackendChoice {
  /** `--backend` value: a postgres URL, or `local`. */
  flag?: string;
  /** `--workspace` (else `ROSTER_WORKSPACE`, else the Backend document's, else `default`). */
  workspace?: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  logger: Logger;
  lockTimeoutMs?: number;
}

const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//.test(s);

/** A backend for a URL or `local` (as `--backend`, `ROSTER_BACKEND` and `roster state migrate --to` give them). */
export function backendFor(
  target: string | Secret,
  opts: Omit<BackendChoice, 'flag' | 'env'> & {
    workspace?: string;
    /** The run's shared connections to each database (a fleet's tenants), else a pool per backend. */
    pools?: { for(url: string | Secret): PostgresConnectionPool };
  },
): StateBackend {
  const value = typeof target === 'string' ? target : target.reveal();
  if (value === 'local')
    return new LocalStateBackend({
      dir: opts.stateDir,
      logger: opts.logger,
      ...(opts.workspace !== undefined ? { workspace: opts.workspace } : {}),
      ...(opts.lockTimeoutMs !== undefined ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
    });
  if (!isPostgresUrl(value))
    throw new UserError(
      'a state backend is `local` or a PostgreSQL URL (postgres://user:password@host:port/database)',
    );
  return new PostgresStateBackend({
    url: typeof target === 'string' ? new Secret(target, 'state backend URL') : target,
    ...(opts.workspace !== undefined ? { workspace: opts.workspace } : {}),
    logger: opts.logger,
    ...(opts.lockTimeoutMs !== undefined ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
    ...(opts.pools ? { pool: opts.pools.for(target) } : {}),
  });
}

/**
 * The state backend of a run, chosen on first use: the flag and environment are known at once, a
 * Backend document only once the manifests are loaded (`useProjectBackend`). Every command that
 * touches state loads them first (`loadProjectFor`, or `stateContext` for `state …`, `force-unlock`
 * and `workspace …`), so all of them resolve the backend the same way.
 */
export class SelectedBackend implements StateBackend {
  readonly #choice: BackendChoice;
  #project: BackendSettings | undefined;
  #real: StateBackend | undefined;
  /** The check that the selected workspace exists, made once per run. */
  #exists: Promise<void> | undefined;

  constructor(choice: BackendChoice) {
    this.#choice = choice;
  }

  /** The project's Backend document (unless `--backend`/`ROSTER_BACKEND` overrides it). */
  useProjectBackend(settings: BackendSettings | undefined): void {
    if (this.#real) return;
    this.#project = settings;
  }

  get location(): string {
    return this.backend().location;
  }

  /** The backend itself (resolved now if not yet). */
  backend(): StateBackend {
    this.#real ??= this.#resolve();
    return this.#real;
  }

  /** The selected workspace: `--workspace`, `ROSTER_WORKSPACE`, the Backend document's, or `default`. */
  get workspace(): string {
    return this.#workspaceChoice() ?? DEFAULT_WORKSPACE;
  }

  #workspaceChoice(): string | undefined {
    const c = this.#choice;
    return c.workspace ?? c.env.ROSTER_WORKSPACE ?? this.#project?.workspace;
  }

  /** The backend as a store of workspaces (both built-in backends are). */
  workspaces(): WorkspaceBackend {
    const b = this.backend();
    if (!isWorkspaceBackend(b)) throw new UserError(`the state backend ${b.location} has no workspaces`);
    return b;
  }

  /**
   * The selected workspace must exist: selecting one never creates it (`roster workspace new` does),
   * so a mistyped `--workspace` or `ROSTER_WORKSPACE` is an error naming the existing ones, not an
   * empty state.
   */
  #checked(): Promise<void> {
    const b = this.backend();
    this.#exists ??= isWorkspaceBackend(b) ? requireWorkspace(b) : Promise.resolve();
    return this.#exists;
  }

  #resolve(): StateBackend {
    const c = this.#choice;
    const workspace = this.#workspaceChoice();
    const base = {
      stateDir: c.stateDir,
      logger: c.logger,
      ...(c.lockTimeoutMs !== undefined ? { lockTimeoutMs: c.lockTimeoutMs } : {}),
      ...(workspace !== undefined ? { workspace } : {}),
    };
    const given = c.flag ?? c.env.ROSTER_BACKEND;
    if (given) return backendFor(given, base);
    const url = this.#project?.type === 'postgres' ? this.#project.url : undefined;
    // The document's `${env:…}`/`${file:…}` is resolved only now that a command touches state.
    if (url?.problem) throw new DiagnosticsError([url.problem]);
    if (url) return backendFor(url, base);
    return backendFor('local', base);
  }

  async read(): Promise<StateDocument> {
    await this.#checked();
    return this.backend().read();
  }
  async write(doc: StateDocument, expectedSerial: number): Promise<void> {
    await this.#checked();
    return this.backend().write(doc, expectedSerial);
  }
  async lock(req: { operation: string; timeoutMs?: number }): Promise<LockInfo> {
    await this.#checked();
    return this.backend().lock(req);
  }
  unlock(lockId: string): Promise<void> {
    return this.backend().unlock(lockId);
  }
  forceUnlock(lockId?: string): Promise<LockInfo | undefined> {
    return this.backend().forceUnlock(lockId);
  }
  /** Sync release for signal and exit handlers, when the backend has one (the local file lock). */
  unlockSync(lockId: string): boolean {
    const b = this.backend() as StateBackend & { unlockSync?: (id: string) => boolean };
    return b.unlockSync ? b.unlockSync(lockId) : false;
  }
  /** The team backend's copy of the journal, when it keeps one. */
  get journal(): StateBackend['journal'] {
    return this.backend().journal;
  }
  async appendAudit(entries: Parameters<NonNullable<StateBackend['appendAudit']>>[0]): Promise<void> {
    await this.backend().appendAudit?.(entries);
  }
}
