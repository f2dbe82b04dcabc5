import { type Logger, stderrLogger } from '../logger.js';
import type { LockInfo, StateBackend } from './types.js';

/** A backend that can release its lock synchronously, so a lock is released even by `process.exit`. */
export interface SyncUnlockable {
  unlockSync(lockId: string): boolean;
}

export interface WithStateLockOptions {
  /** Where a failure to release the lock after a failed run is reported; default stderr. */
  logger?: Logger;
  /** Wait up to this long for a held lock (`--lock-timeout`), if the backend supports waiting. */
  timeoutMs?: number;
  /** Signals on which the lock is released before the process ends; default SIGINT, SIGTERM, SIGHUP. */
  signals?: readonly NodeJS.Signals[];
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Run `fn` holding the state lock, and release the lock however `fn` ends: on return, on throw, and
 * when the process is interrupted.
 *
 * On a signal: if something else also listens for it (the CLI stopping a run gracefully), the lock
 * stays held until `fn` settles, so state is still written under the lock; a CLI that does so can
 * also pass `signals: []`. If nothing else listens (`signal-exit`'s listeners do not count), the signal
 * would end the process: the lock is released first, then the signal is raised again so the process
 * ends as it would have. A backend with `unlockSync` also releases on `process.exit`.
 *
 * A failure to release after `fn` returned is thrown; after `fn` threw, it is logged and `fn`'s error
 * is thrown.
 */
export async function withStateLock<T>(
  backend: StateBackend,
  operation: string,
  fn: (lock: LockInfo) => Promise<T>,
  opts: WithStateLockOptions = {},
): Promise<T> {
  const req: { operation: string; timeoutMs?: number } = { operation };
  if (opts.timeoutMs !== undefined) req.timeoutMs = opts.timeoutMs;
  const lock = await backend.lock(req);

  let released = false;
  const unlockSync = hasUnlockSync(backend) ? (id: string) => backend.unlockSync(id) : undefined;
  const signals = opts.signals ?? DEFAULT_SIGNALS;

  const onExit = (): void => {
    if (!released && unlockSync) released = unlockSync(lock.id);
  };
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const reraise = (): void => {
      detach();
      process.kill(process.pid, signal);
    };
    // A second signal while the lock is being released: stop waiting.
    if (interrupted) {
      reraise();
      return;
    }
    // Another listener decides how the run stops; `fn` settles and the lock is released below.
    if (process.listenerCount(signal) - 1 - signalExitListeners() > 0) return;
    interrupted = true;
    if (released || unlockSync) {
      if (!released && unlockSync) released = unlockSync(lock.id);
      reraise();
      return;
    }
    // Stay subscribed while releasing, so the process does not end before the lock is gone.
    backend.unlock(lock.id).then(
      () => {
        released = true;
        reraise();
      },
      () => reraise(),
    );
  };
  const detach = (): void => {
    for (const s of signals) process.removeListener(s, onSignal);
    process.removeListener('exit', onExit);
  };

  for (const s of signals) process.on(s, onSignal);
  process.on('exit', onExit);

  let result: T;
  try {
    result = await fn(lock);
  } catch (err) {
    detach();
    if (!released) {
      try {
        await backend.unlock(lock.id);
        released = true;
      } catch (unlockErr) {
        (opts.logger ?? stderrLogger()).warn(
          `could not release state lock ${lock.id} (${backend.location}): ${(unlockErr as Error).message}`,
        );
      }
    }
    throw err;
  }
  detach();
  if (!released) {
    await backend.unlock(lock.id);
    released = true;
  }
  return result;
}

/**
 * How many of the process's listeners for each signal belong to `signal-exit` (used by
 * `write-file-atomic` to remove its temporary file): they end the process only when they are the only
 * listeners, so they are not counted as someone else handling the signal. This is the count
 * `signal-exit` itself shares between its copies.
 */
function signalExitListeners(): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[
    Symbol.for('signal-exit emitter')
  ];
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } })
    .__signal_exit_emitter__;
  return (typeof v4?.count === 'number' ? v4.count : 0) + (typeof v3?.count === 'number' ? v3.count : 0);
}

function hasUnlockSync(backend: StateBackend): backend is StateBackend & SyncUnlockable {
  return typeof (backend as Partial<SyncUnlockable>).unlockSync === 'function';
}
