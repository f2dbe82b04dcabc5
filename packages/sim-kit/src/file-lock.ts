import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** A held cross-process lock. */
export interface FileLock {
  release(): Promise<void>;
}

export interface FileLockOptions {
  /** A lock file older than this is considered abandoned and broken (default 10 s). */
  staleMs?: number;
  /** Give up after waiting this long (default 30 s). */
  timeoutMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  at: string;
}

/**
 * Take the lock file at `lockPath`: created with O_EXCL, so exactly one process (or store) holds
 * it. Waiting holders retry with short sleeps. A lock whose owner died on this host, or that is
 * older than `staleMs`, is broken: a crashed `roster` must not wedge the sandbox.
 */
export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<FileLock> {
  const staleMs = opts.staleMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString('hex'),
    at: new Date().toISOString(),
  };
  const started = Date.now();
  let wait = 1;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify(content));
      } finally {
        await handle.close();
      }
      return { release: () => releaseLock(lockPath, content.token) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await isStale(lockPath, staleMs)) {
      await breakLock(lockPath);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const owner = await readLock(lockPath);
      throw new Error(
        `the sandbox store is locked (${lockPath}${owner ? `, held by pid ${owner.pid} on ${owner.host}` : ''}); waited ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    // Short, jittered waits: transactions take milliseconds, and jitter keeps waiters from
    // retrying in lockstep.
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 20);
  }
}

async function readLock(lockPath: string): Promise<LockContent | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(lockPath)).mtimeMs;
  } catch {
    return false; // gone already: the next attempt will take it
  }
  if (Date.now() - mtimeMs > staleMs) return true;
  const owner = await readLock(lockPath);
  // An empty or half-written file belongs to a holder that is writing it right now.
  if (!owner || owner.host !== hostname()) return false;
  return !pidAlive(owner.pid);
}

/**
 * Move the stale lock aside instead of unlinking it, so two processes breaking the same stale
 * lock do not both succeed: only one rename finds the file.
 */
async function breakLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return;
  }
  await fs.rm(aside, { force: true });
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  const owner = await readLock(lockPath);
  // Only remove our own lock: if it was broken as stale and re-taken, it is someone else's now.
  if (owner && owner.token !== token) return;
  await fs.rm(lockPath, { force: true });
}
