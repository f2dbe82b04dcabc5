import type { ExecuteEvent } from './apply/execute.js';

/** How far a long step is (a refresh, an apply): `done` of `total`, and what it works on now. */
export interface Progress {
  phase: 'refresh' | 'apply';
  done: number;
  total: number;
  /** The object kind being read (`provider/Kind`) or the resource being applied (its address). */
  current?: string;
}

/** Called as a long step advances (the CLI shows it on a terminal only). */
export type ProgressListener = (progress: Progress) => void;

/**
 * Turn the executor's events into progress of an apply of `total` changes: a change counts once it
 * has ended (done, failed, skipped or pending); the current one is the oldest still in flight.
 */
export function applyProgress(total: number, listener: ProgressListener): (event: ExecuteEvent) => void {
  let done = 0;
  const inFlight = new Set<string>();
  return (e) => {
    if (e.type === 'notice') return;
    if (e.type === 'start') inFlight.add(e.change.address);
    else {
      inFlight.delete(e.change.address);
      done++;
    }
    const current = inFlight.values().next().value ?? e.change.address;
    listener({ phase: 'apply', done: Math.min(done, total), total, current });
  };
}

/**
 * Progress of a refresh: each kind counts once it is read (listed, or its objects read by id); the current one is the
 * first still being read.
 */
export function refreshProgress(listener: ProgressListener | undefined) {
  const reading = new Set<string>();
  let total = 0;
  let done = 0;
  return {
    /** A kind to list; returns what to call once it is listed. */
    add(name: string): () => void {
      total++;
      reading.add(name);
      return () => {
        reading.delete(name);
        done++;
        listener?.({ phase: 'refresh', done, total, current: reading.values().next().value ?? name });
      };
    },
  };
}
