/**
 * The local state lock: a file created exclusively (`O_EXCL`) holding who took it, so a blocked run
 * can say who holds it, a lock left by a crashed run on this host is taken over, and
 * `roster force-unlock` can remove one left elsewhere.
 *
 * A lock is only removed after reading it: it is renamed aside, the renamed file is checked to be the
 * lock that was read, and only then deleted (or put back). Taking over a stale lock is done while
 * holding a second, short-lived guard file (`state.lock.takeover`), so of several runs that find the
 * same stale lock only one removes it, and none removes the lock another run has just taken.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../diagnostics.js';
import { LockedError, type LockInfo } from './types.js';

/** What a lock file holds: nothing, a lock, or something roster cannot read. */
export type LockFileState =
  | { kind: 'none' }
  | { kind: 'held'; info: LockInfo }
  | { kind: 'unreadable'; content: string; modifiedAt: string };

export interface AcquireLockOptions {
  /** What the run is doing (`plan`, `apply`, `state rm`, …), recorded in the lock. */
  operation: string;
  /** Wait up to this long for a held lock to be released (polling); default: fail at once. */
  timeoutMs?: number;
  /**
   * First wait before looking again; each further wait doubles, up to `maxPollMs` (backoff: a run
   * that waits minutes does not read the lock file four times a second). Default 100 ms.
   */
  pollMs?: number;
  /** Longest wait between two looks; default 2 s. */
  maxPollMs?: number;
  /** Called when a lock left by a process that no longer runs (on this host) was removed. */
  onStaleLock?: (stale: LockInfo) => void;
  /**
   * Called once, when a held lock makes this run start waiting (only with `timeoutMs`): the holder
   * as the refusal would describe it, so a person (or a test) sees the run is waiting, not stuck.
   */
  onWait?: (holder: string, timeoutMs: number) => void;
}

/** Shown in place of a lock id when the lock file cannot be read. */
export const UNREADABLE_LOCK_ID = '(unreadable)';

const UNREADABLE_READ_ATTEMPTS = 5;
const UNREADABLE_RETRY_MS = 20;
const MAX_IMMEDIATE_RETRIES = 50;
const GUARD_RETRY_MS = 10;
const MAX_GUARD_RETRIES = 300;
/** A takeover guard that cannot be read is left by a run that died while creating it. */
const UNREADABLE_GUARD_STALE_MS = 10_000;

/** A lock record for this process. */
export function newLockInfo(operation: string): LockInfo {
  return {
    id: randomUUID(),
    pid: process.pid,
    host: hostname(),
    user: currentUser(),
    operation,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Take the lock at `lockPath` (its directory must exist). A lock whose holder ran on this host and no
 * longer runs is stale: it is removed and reported through `onStaleLock`. Any other held lock throws a
 * `LockedError` naming the holder (after waiting up to `timeoutMs`, if given).
 */
export async function acquireLock(lockPath: string, opts: AcquireLockOptions): Promise<LockInfo> {
  const deadline =
    opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? Date.now() + opts.timeoutMs : undefined;
  const started = Date.now();
  const maxPollMs = opts.maxPollMs ?? 2_000;
  let pollMs = opts.pollMs ?? 100;
  let immediateRetries = 0;
  let guardRetries = 0;
  let waitReported = false;
  for (;;) {
    const info = newLockInfo(opts.operation);
    if (await tryCreateLock(lockPath, info)) return info;

    const current = await readLock(lockPath);
    if (current.kind === 'held' && isStale(current.info)) {
      const outcome = await takeOverStale(lockPath, current.info);
      if (outcome === 'removed') opts.onStaleLock?.(current.info);
      if (outcome === 'busy') {
        // Another run is taking it over right now; it takes milliseconds.
        if (++guardRetries > MAX_GUARD_RETRIES) throw lockedError(current, lockPath);
        await sleep(GUARD_RETRY_MS);
        continue;
      }
    } else if (current.kind !== 'none') {
      const now = Date.now();
      if (deadline === undefined) throw lockedError(current, lockPath);
      if (now >= deadline) throw timedOut(lockedError(current, lockPath), now - started);
      if (!waitReported) {
        waitReported = true;
        opts.onWait?.(describeLock(current), opts.timeoutMs ?? 0);
      }
      await sleep(Math.max(1, Math.min(pollMs, deadline - now)));
      pollMs = Math.min(maxPollMs, pollMs * 2);
      immediateRetries = 0;
      continue;
    }
    // Released, removed as stale, or changed since we looked: try again at once.
    if (++immediateRetries > MAX_IMMEDIATE_RETRIES) {
      throw new Error(`could not take the state lock ${lockPath}: the lock file keeps changing`);
    }
  }
}

/**
 * Release the lock `lockId`. Throws a clear error if the lock file is gone or holds another lock (it was
 * force-unlocked, and perhaps taken by another run).
 */
export async function releaseLock(lockPath: string, lockId: string): Promise<void> {
  const outcome = await removeLockIf(lockPath, await readLock(lockPath), (s) => isLock(s, lockId));
  if (outcome.removed) return;
  const { state } = outcome;
  if (state.kind === 'none') {
    throw new UserError(
      `cannot release state lock ${lockId}: there is no lock at ${lockPath} (was it removed with roster force-unlock?)`,
    );
  }
  throw new UserError(
    `cannot release state lock ${lockId}: ${lockPath} holds ${describeLock(state)}, not this run's lock (it was probably force-unlocked and taken by another run)`,
  );
}

/**
 * Release the lock `lockId` synchronously, for `exit` and signal handlers. Never throws; returns whether
 * the lock was this run's and is gone.
 */
export function releaseLockSync(lockPath: string, lockId: string): boolean {
  try {
    const info = parseLockInfo(readFileSync(lockPath, 'utf8'));
    if (info?.id !== lockId) return false;
    unlinkSync(lockPath);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove the lock whoever holds it (`roster force-unlock`). With `lockId`, only that lock: a different
 * lock is an error naming the current one. Returns what was removed, or `undefined` if there was no lock.
 * An unreadable lock file is removed only without `lockId` and is returned with id `(unreadable)`.
 */
export async function forceRemoveLock(lockPath: string, lockId?: string): Promise<LockInfo | undefined> {
  const outcome = await removeLockIf(
    lockPath,
    await readLock(lockPath),
    (s) => lockId === undefined || isLock(s, lockId),
  );
  const { state } = outcome;
  if (state.kind === 'none') return undefined;
  if (outcome.removed) return state.kind === 'held' ? state.info : placeholderLockInfo(state);
  if (state.kind === 'unreadable') {
    throw new UserError(
      `the state lock ${lockPath} is unreadable, so it has no lock id to match ${lockId}; if no roster run is using this state, run roster force-unlock without a lock id`,
    );
  }
  throw new UserError(
    `lock id ${lockId} does not match the current state lock ${state.info.id} (${describeLock(state)}); to remove that lock, run: roster force-unlock ${state.info.id}`,
  );
}

/** Read the lock file. An empty or half-written file is read again a few times before it counts as unreadable. */
export async function readLock(lockPath: string): Promise<LockFileState> {
  return readLockFile(lockPath, UNREADABLE_READ_ATTEMPTS);
}

async function readLockFile(lockPath: string, attempts: number): Promise<LockFileState> {
  for (let attempt = 1; ; attempt++) {
    let content: string;
    try {
      content = await readFile(lockPath, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { kind: 'none' };
      throw err;
    }
    const info = parseLockInfo(content);
    if (info) return { kind: 'held', info };
    if (attempt >= attempts) {
      const modifiedAt = await stat(lockPath).then(
        (s) => s.mtime.toISOString(),
        () => new Date().toISOString(),
      );
      return { kind: 'unreadable', content, modifiedAt };
    }
    // A lock being created is empty until its holder writes it.
    await sleep(UNREADABLE_RETRY_MS);
  }
}

/** The `LockInfo` of a lock file's state: the record itself, or a placeholder for an unreadable file. */
export function lockInfoOf(state: LockFileState): LockInfo | undefined {
  if (state.kind === 'none') return undefined;
  return state.kind === 'held' ? state.info : placeholderLockInfo(state);
}

/** Whether `pid` names a running process (on this host). Unknown answers count as running. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return errorCode(err) !== 'ESRCH';
  }
}

/** A lock is stale when its holder ran on this host and no longer runs. Locks from other hosts never are. */
export function isStale(info: LockInfo): boolean {
  return info.host === hostname() && !isProcessAlive(info.pid);
}

// --- internals ---------------------------------------------------------------------------------

async function tryCreateLock(lockPath: string, info: LockInfo): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(`${JSON.stringify(info, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(lockPath).catch(() => {});
    throw err;
  }
  await handle.close();
  return true;
}

function isLock(state: LockFileState, lockId: string): boolean {
  return state.kind === 'held' && state.info.id === lockId;
}

/**
 * Remove a stale lock, holding the takeover guard. `removed`: it is gone (the caller still has to
 * take the lock, like any other run); `changed`: the lock is no longer that stale lock; `busy`: another
 * run holds the guard.
 */
async function takeOverStale(lockPath: string, stale: LockInfo): Promise<'removed' | 'changed' | 'busy'> {
  const guardPath = `${lockPath}.takeover`;
  const guard = newLockInfo('takeover');
  if (!(await tryCreateLock(guardPath, guard))) {
    await removeStaleGuard(guardPath);
    return 'busy';
  }
  try {
    // Read again under the guard: another run may have taken it over since we looked.
    const current = await readLockFile(lockPath, 1);
    const outcome = await removeLockIf(lockPath, current, (s) => isLock(s, stale.id));
    return outcome.removed ? 'removed' : 'changed';
  } finally {
    await unlink(guardPath).catch(() => {});
  }
}

/** Remove a takeover guard left by a run that died holding it. */
async function removeStaleGuard(guardPath: string): Promise<void> {
  const state = await readLockFile(guardPath, 1);
  if (state.kind === 'held' && isStale(state.info)) {
    await removeLockIf(guardPath, state, (s) => isLock(s, state.info.id));
  } else if (
    state.kind === 'unreadable' &&
    Date.now() - Date.parse(state.modifiedAt) > UNREADABLE_GUARD_STALE_MS
  ) {
    await removeLockIf(guardPath, state, (s) => s.kind === 'unreadable');
  }
}

/**
 * Remove the lock file if `matches` the state just read (`seen`). Nothing is touched unless `seen`
 * matches; then the file is renamed aside, so what is checked again is exactly what is removed, and a
 * file that changed in between is put back.
 */
async function removeLockIf(
  lockPath: string,
  seen: LockFileState,
  matches: (state: LockFileState) => boolean,
): Promise<{ removed: boolean; state: LockFileState }> {
  if (seen.kind === 'none' || !matches(seen)) return { removed: false, state: seen };
  const aside = `${lockPath}.${randomUUID()}.removing`;
  try {
    await rename(lockPath, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { removed: false, state: { kind: 'none' } };
    throw err;
  }
  let state: LockFileState;
  try {
    // Read once: the lock path stays free while the file is aside, so be quick.
    state = await readLockFile(aside, 1);
  } catch (err) {
    await putBack(aside, lockPath);
    throw err;
  }
  if (state.kind !== 'none' && matches(state) && sameLock(state, seen)) {
    await unlink(aside).catch(() => {});
    return { removed: true, state };
  }
  await putBack(aside, lockPath);
  return { removed: false, state };
}

/** Restore a lock renamed aside, without replacing a lock taken in the meantime. */
async function putBack(aside: string, lockPath: string): Promise<void> {
  try {
    await link(aside, lockPath);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST' || code === 'ENOENT') {
      // Another run took the lock in the instant it was aside; the newer lock stands.
      await unlink(aside).catch(() => {});
      return;
    }
    // No hard links on this file system: a plain rename (which would replace a lock taken meanwhile).
    await rename(aside, lockPath);
    return;
  }
  await unlink(aside).catch(() => {});
}

function sameLock(a: LockFileState, b: LockFileState): boolean {
  if (a.kind === 'held' && b.kind === 'held') return a.info.id === b.info.id;
  if (a.kind === 'unreadable' && b.kind === 'unreadable') return a.content === b.content;
  return false;
}

function parseLockInfo(content: string): LockInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v['id'] !== 'string' ||
    v['id'] === '' ||
    typeof v['pid'] !== 'number' ||
    !Number.isSafeInteger(v['pid']) ||
    typeof v['host'] !== 'string' ||
    typeof v['user'] !== 'string' ||
    typeof v['operation'] !== 'string' ||
    typeof v['createdAt'] !== 'string'
  ) {
    return undefined;
  }
  return {
    id: v['id'],
    pid: v['pid'],
    host: v['host'],
    user: v['user'],
    operation: v['operation'],
    createdAt: v['createdAt'],
  };
}

function placeholderLockInfo(state: { kind: 'unreadable'; modifiedAt: string }): LockInfo {
  return {
    id: UNREADABLE_LOCK_ID,
    pid: 0,
    host: 'unknown',
    user: 'unknown',
    operation: 'unknown',
    createdAt: state.modifiedAt,
  };
}

function lockedError(state: Exclude<LockFileState, { kind: 'none' }>, lockPath: string): LockedError {
  if (state.kind === 'held') return new LockedError(state.info, lockPath);
  const err = new LockedError(placeholderLockInfo(state), lockPath);
  err.message = `state is locked by an unknown holder: the lock file ${lockPath} (last modified ${state.modifiedAt}) is unreadable (${describeContent(state.content)}). If no other roster run is using this state, run: roster force-unlock`;
  return err;
}

/** The same refusal, saying how long this run waited (`--lock-timeout`), so nobody raises it blindly. */
function timedOut(err: LockedError, waitedMs: number): LockedError {
  err.message = `gave up waiting for the state lock after ${formatWait(waitedMs)} (--lock-timeout): ${err.message}`;
  return err;
}

/** A wait as the lock messages say it: `400 ms`, `120.0 s`. */
export function formatWait(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

function describeLock(state: Exclude<LockFileState, { kind: 'none' }>): string {
  if (state.kind === 'unreadable') return `an unreadable lock (${describeContent(state.content)})`;
  return describeLockInfo(state.info);
}

/** A held lock as the lock messages name it: `lock ID of pid N on host H (user U, OPERATION) since T`. */
export function describeLockInfo(h: LockInfo): string {
  return `lock ${h.id} of pid ${h.pid} on host ${h.host} (user ${h.user}, ${h.operation}) since ${h.createdAt}`;
}

function describeContent(content: string): string {
  if (content.trim() === '') return 'it is empty';
  const shown = content.length > 60 ? `${content.slice(0, 60)}…` : content;
  return `not a roster lock record: ${JSON.stringify(shown)}`;
}

function currentUser(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry (e.g. an arbitrary uid in a container).
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? process.env['LOGNAME'] ?? 'unknown';
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
