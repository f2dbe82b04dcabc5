import { chmod, mkdir, open, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../diagnostics.js';
import type { Logger } from '../logger.js';
import { emptyStateDocument, parseStateDocument, serializeStateDocument } from './document.js';
import {
  acquireLock,
  forceRemoveLock,
  formatWait,
  lockInfoOf,
  readLock,
  releaseLock,
  releaseLockSync,
} from './lock.js';
import { type LockInfo, SerialConflictError, type StateDocument } from './types.js';
import { checkWorkspaceName, DEFAULT_WORKSPACE, type WorkspaceBackend } from './workspaces.js';

export const STATE_FILE = 'state.json';
export const STATE_BACKUP_FILE = 'state.json.backup';
export const STATE_LOCK_FILE = 'state.lock';
/** Where the local backend keeps the workspaces other than `default` (Terraform's `terraform.tfstate.d`). */
export const WORKSPACES_DIR = 'workspaces';

/**
 * The temporary files of an atomic write of the state or its backup (`write-file-atomic` names them
 * `<file>.<32-bit hash>`); a process killed between writing one and renaming it leaves it behind.
 */
const STATE_TEMP_FILE = /^state\.json(?:\.backup)?\.\d+$/;

export interface LocalStateBackendOptions {
  /** The project's state directory (`.roster/`, or `--state-dir`). */
  dir: string;
  /** Where a removed stale lock is reported (as a warning), and a wait for a held lock (as info). */
  logger?: Logger;
  /** Called when a stale lock (its process on this host no longer runs) was removed and taken over. */
  onStaleLock?: (stale: LockInfo) => void;
  /**
   * How long `lock` waits for a held lock when its caller does not say (`--lock-timeout`); default:
   * fail at once, naming the holder.
   */
  lockTimeoutMs?: number;
  /**
   * The workspace (default `default`): `default` keeps its state in `dir`, any other in
   * `dir/workspaces/<name>/`, each with its own lock.
   */
  workspace?: string;
}

/**
 * State in `<dir>/state.json` (mode 0600), written atomically (temp file, fsync, rename) with the
 * previous state kept in `state.json.backup`, and locked with `<dir>/state.lock`. A workspace other
 * than `default` keeps the same files in `<dir>/workspaces/<name>/`.
 */
export class LocalStateBackend implements WorkspaceBackend {
  /** The state directory (`.roster/`, or `--state-dir`). */
  readonly root: string;
  /** The directory of this workspace's state and lock (`root` for `default`). */
  readonly dir: string;
  readonly workspace: string;
  readonly workspacesLocation: string;
  readonly #opts: LocalStateBackendOptions;
  /** The state file. */
  readonly location: string;
  readonly backupPath: string;
  readonly lockPath: string;
  readonly #logger: Logger | undefined;
  readonly #onStaleLock: ((stale: LockInfo) => void) | undefined;
  readonly #lockTimeoutMs: number | undefined;

  constructor(opts: LocalStateBackendOptions) {
    const workspace = opts.workspace ?? DEFAULT_WORKSPACE;
    checkWorkspaceName(workspace);
    this.#opts = opts;
    this.root = opts.dir;
    this.workspace = workspace;
    this.dir = workspace === DEFAULT_WORKSPACE ? opts.dir : join(opts.dir, WORKSPACES_DIR, workspace);
    this.workspacesLocation = opts.dir;
    this.location = join(this.dir, STATE_FILE);
    this.backupPath = join(this.dir, STATE_BACKUP_FILE);
    this.lockPath = join(this.dir, STATE_LOCK_FILE);
    this.#logger = opts.logger;
    this.#onStaleLock = opts.onStaleLock;
    this.#lockTimeoutMs = opts.lockTimeoutMs;
  }

  async read(): Promise<StateDocument> {
    const text = await this.#readStored();
    return text === undefined ? emptyStateDocument() : this.#parse(text);
  }

  async write(doc: StateDocument, expectedSerial: number): Promise<void> {
    if (doc.serial !== expectedSerial + 1) {
      throw new Error(
        `state write for ${this.location}: the document's serial must be ${expectedSerial + 1} (expected serial ${expectedSerial} + 1), got ${doc.serial}`,
      );
    }
    // Round-trip the document through the reader, so roster never writes state it cannot read back.
    const text = serializeStateDocument(doc);
    parseStateDocument(text, `about to be written to ${this.location}`);

    await serializeWrites(this.location, async () => {
      await this.#ensureDir();
      const previous = await this.#readStored();
      const stored = previous === undefined ? undefined : this.#parse(previous);
      const storedSerial = stored?.serial ?? 0;
      if (storedSerial !== expectedSerial) throw new SerialConflictError(expectedSerial, storedSerial);
      if (stored && stored.lineage !== doc.lineage) {
        throw new UserError(
          `refusing to write state to ${this.location}: it has lineage ${stored.lineage}, but the state being written has lineage ${doc.lineage}. A different lineage means it is another project's state (or a state from before it was re-created); check --state-dir.`,
        );
      }
      if (previous !== undefined) {
        await writeFileAtomic(this.backupPath, previous, { mode: 0o600, encoding: 'utf8' });
      }
      await writeFileAtomic(this.location, text, { mode: 0o600, encoding: 'utf8' });
      await syncDir(this.dir);
    });
  }

  /** Take the state lock; with `timeoutMs`, wait that long for a held lock (`--lock-timeout`). */
  async lock(req: { operation: string; timeoutMs?: number }): Promise<LockInfo> {
    await this.#ensureDir();
    const timeoutMs = req.timeoutMs ?? this.#lockTimeoutMs;
    const lock = await acquireLock(this.lockPath, {
      operation: req.operation,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onStaleLock: (stale) => {
        this.#logger?.warn(
          `removed a stale state lock ${stale.id} of pid ${stale.pid} on host ${stale.host} (user ${stale.user}, ${stale.operation}) since ${stale.createdAt}: that process no longer runs`,
        );
        this.#onStaleLock?.(stale);
      },
      onWait: (holder, waitMs) =>
        this.#logger?.info(
          `waiting up to ${formatWait(waitMs)} for the state lock (--lock-timeout): held by ${holder}`,
        ),
    });
    // Only the lock holder writes state, so a temporary file seen now is an interrupted write's.
    await this.#removeInterruptedWrites();
    return lock;
  }

  /** Remove `state.json[.backup].NNNN` files a killed write left behind; answers how many. */
  async #removeInterruptedWrites(): Promise<number> {
    const left = (await readdir(this.dir)).filter((name) => STATE_TEMP_FILE.test(name));
    for (const name of left) await rm(join(this.dir, name), { force: true });
    if (left.length > 0) {
      this.#logger?.warn(
        `removed ${left.length} temporary state file${left.length === 1 ? '' : 's'} left by an interrupted write (${left.join(', ')})`,
      );
    }
    return left.length;
  }

  async unlock(lockId: string): Promise<void> {
    await releaseLock(this.lockPath, lockId);
  }

  /** Release this run's lock synchronously (for `exit` and signal handlers); never throws. */
  unlockSync(lockId: string): boolean {
    return releaseLockSync(this.lockPath, lockId);
  }

  async forceUnlock(lockId?: string): Promise<LockInfo | undefined> {
    return forceRemoveLock(this.lockPath, lockId);
  }

  /** The workspaces that hold a state file (`default` only when `state.json` exists). */
  async storedWorkspaces(): Promise<string[]> {
    const out: string[] = [];
    if (await fileExists(join(this.root, STATE_FILE))) out.push(DEFAULT_WORKSPACE);
    let entries: string[] = [];
    try {
      entries = await readdir(join(this.root, WORKSPACES_DIR));
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    for (const name of entries.sort())
      if (name !== DEFAULT_WORKSPACE && (await fileExists(join(this.root, WORKSPACES_DIR, name, STATE_FILE))))
        out.push(name);
    return out;
  }

  /** Remove the workspace's state and its backup (the caller holds its lock; `pruneWorkspace` removes the directory). */
  async deleteWorkspace(name: string): Promise<void> {
    const target = this.withWorkspace(name);
    await rm(target.backupPath, { force: true });
    await rm(target.location, { force: true });
    await syncDir(target.dir);
  }

  /** Remove the workspace's directory once its lock is gone (left alone if anything else is in it). */
  async pruneWorkspace(name: string): Promise<void> {
    if (name === DEFAULT_WORKSPACE) return;
    await rmdir(this.withWorkspace(name).dir).catch(() => undefined);
  }

  withWorkspace(name: string): LocalStateBackend {
    return new LocalStateBackend({ ...this.#opts, workspace: name });
  }

  /** The state directory (with its `.gitignore`), and this workspace's directory inside it. */
  async #ensureDir(): Promise<void> {
    await ensureStateDir(this.root);
    if (this.dir !== this.root) await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Who holds the lock now, if anyone (an unreadable lock file has id `(unreadable)`). */
  async currentLock(): Promise<LockInfo | undefined> {
    return lockInfoOf(await readLock(this.lockPath));
  }

  async #readStored(): Promise<string | undefined> {
    try {
      return await readFile(this.location, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw new UserError(`cannot read state ${this.location}: ${(err as Error).message}`);
    }
  }

  #parse(text: string): StateDocument {
    return parseStateDocument(
      text,
      this.location,
      `restore it from ${this.backupPath} (the state before the last write) or from your own backup`,
    );
  }
}

/**
 * Create the state directory (mode 0700) if needed, and make sure it holds a `.gitignore` of `*`, so
 * state, journal and audit log are never committed by accident.
 */
export async function ensureStateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(dir, 0o700);
  try {
    await writeFile(
      join(dir, '.gitignore'),
      '# Written by roster: state, journal and audit log stay out of version control.\n*\n',
      { flag: 'wx', mode: 0o644 },
    );
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
  }
}

/** Flush the directory entry of a rename; not supported everywhere (e.g. Windows), so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

const pendingWrites = new Map<string, Promise<unknown>>();

/** Run writes to the same file one at a time within this process (the lock orders processes). */
async function serializeWrites<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = pendingWrites.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.catch(() => {});
  pendingWrites.set(key, settled);
  try {
    return await run;
  } finally {
    if (pendingWrites.get(key) === settled) pendingWrites.delete(key);
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return false;
    throw err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
