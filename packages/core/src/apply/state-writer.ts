import type { StateBackend, StateDocument, StateResource } from '../state/types.js';

/** The shortest time between two state checkpoints of a journaled apply. */
export const CHECKPOINT_MIN_MS = 1000;

/**
 * The state document of one apply and its writes to the backend. State lives in memory and is
 * written in one of two ways:
 * - without a journal, every change waits until a write holds it (writes are serialised and
 *   coalesced: what arrives while a write is in flight shares the next one);
 * - with the journal (`checkpoints`), every outcome is already durable there before state records
 *   it, so state is written as checkpoints: spaced by CHECKPOINT_MIN_MS, or by 4× the last write's
 *   duration when that is longer, and once at the end.
 */
export class StateWriter {
  /** The document as this run has it (ahead of the backend between checkpoints). */
  readonly state: StateDocument;
  readonly #backend: StateBackend;
  readonly #checkpoints: boolean;
  #dirty = false;
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #writing: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #finishing = false;
  #lastWriteEnd = performance.now();
  #lastWriteMs = 0;
  /** Why the last write failed, while state in memory holds more than the backend. */
  #error: unknown;
  /**
   * Resources by provider, kind and natural key, for references: a scan of state per reference
   * made an apply of n accounts that reference a role O(n²). `put` keeps it current; an entry that
   * no longer matches (a renamed object) falls back to the scan.
   */
  readonly #byKey = new Map<string, string>();

  constructor(backend: StateBackend, state: StateDocument, opts: { checkpoints: boolean }) {
    this.#backend = backend;
    this.#checkpoints = opts.checkpoints;
    this.state = structuredClone(state);
    for (const [address, r] of Object.entries(this.state.resources)) {
      const k = keyOf(r.provider, r.kind, r.naturalKey);
      if (!this.#byKey.has(k)) this.#byKey.set(k, address);
    }
  }

  /** Why the last write failed, while it has not succeeded since; undefined when state is written. */
  get error(): unknown {
    return this.#error;
  }

  /** The error of the last failed write as a message, or undefined. */
  get errorMessage(): string | undefined {
    if (this.#error === undefined) return undefined;
    return this.#error instanceof Error ? this.#error.message : String(this.#error);
  }

  /**
   * With checkpoints, why the last write failed (undefined when it did not): no new operation may
   * start then, or outcomes the journal holds but state does not would pile up.
   */
  checkpointError(): string | undefined {
    return this.#checkpoints ? this.errorMessage : undefined;
  }

  /** Change state in memory; resolves once it is written (without a journal) or at once (with one). */
  commit(mutate: (doc: StateDocument) => void): Promise<void> {
    mutate(this.state);
    this.#dirty = true;
    if (this.#checkpoints) {
      this.#scheduleCheckpoint();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#writing ??= this.#write();
    });
  }

  /** Record a resource at `address` (and settle its pending manual step). */
  put(address: string, resource: StateResource): Promise<void> {
    this.#byKey.set(keyOf(resource.provider, resource.kind, resource.naturalKey), address);
    return this.commit((doc) => {
      doc.resources[address] = resource;
      if (doc.pending?.[address]) {
        delete doc.pending[address];
        if (Object.keys(doc.pending).length === 0) delete doc.pending;
      }
    });
  }

  /** The resource in state of this provider, kind and natural key. */
  byKey(provider: string, kind: string, naturalKey: string): StateResource | undefined {
    const address = this.#byKey.get(keyOf(provider, kind, naturalKey));
    const r = address !== undefined ? this.state.resources[address] : undefined;
    if (r && r.provider === provider && r.kind === kind && r.naturalKey === naturalKey) return r;
    if (address === undefined) return undefined;
    return Object.values(this.state.resources).find(
      (x) => x.provider === provider && x.kind === kind && x.naturalKey === naturalKey,
    );
  }

  /** Write what is left: the final checkpoint, or another try of a write that failed. */
  async finish(): Promise<void> {
    this.#finishing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
    if (this.#dirty) {
      this.#writing = this.#write();
      await this.#writing;
    }
  }

  async #write(): Promise<void> {
    const state = this.state;
    while (this.#dirty) {
      this.#dirty = false;
      const batchWaiters = this.#waiters;
      this.#waiters = [];
      const expected = state.serial;
      const started = performance.now();
      try {
        state.serial = expected + 1;
        // A shallow copy is a consistent snapshot: mutations replace resources, never edit them.
        await this.#backend.write(
          {
            ...state,
            resources: { ...state.resources },
            ...(state.pending ? { pending: { ...state.pending } } : {}),
          },
          expected,
        );
        this.#error = undefined;
        for (const w of batchWaiters) w.resolve();
      } catch (err) {
        state.serial = expected;
        this.#error = err;
        this.#dirty = true;
        for (const w of batchWaiters) w.reject(err);
        // Not again at once: the next commit (without a journal) or the end of the run tries
        // again; with checkpoints no new operation starts meanwhile (the executor checks `error`).
        break;
      } finally {
        this.#lastWriteEnd = performance.now();
        this.#lastWriteMs = this.#lastWriteEnd - started;
      }
      if (this.#checkpoints && !this.#finishing) break;
    }
    this.#writing = undefined;
    if (this.#checkpoints && this.#dirty && !this.#finishing && this.#error === undefined)
      this.#scheduleCheckpoint();
  }

  #scheduleCheckpoint(): void {
    if (this.#timer || this.#writing) return;
    const spacing = Math.max(CHECKPOINT_MIN_MS, 4 * this.#lastWriteMs);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#writing ??= this.#write();
      },
      Math.max(0, this.#lastWriteEnd + spacing - performance.now()),
    );
  }
}

/** Map key of an object by provider, kind and id or natural key. */
export function keyOf(provider: string, kind: string, idOrKey: string): string {
  return `${provider}\u0000${kind}\u0000${idOrKey}`;
}
