/**
 * Group commit for append-only logs (journal, audit log): items appended while a write is in
 * flight are written together by the next write, with one fsync for the batch.
 *
 * Why: an apply with 8 operations in flight appends two journal lines and one audit line per
 * operation. Writing and fsyncing each line on its own makes the disk, not the systems, the limit
 * of apply throughput; batching keeps the guarantee that matters (an item's promise resolves only
 * once the item is durable, and items reach the file in call order) at one fsync per batch.
 */
export class GroupAppender<T> {
  readonly #write: (items: T[]) => Promise<void>;
  #queue: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  #draining: Promise<void> | undefined;

  /** @param write writes (and makes durable) one batch, in order; a rejection fails that batch only. */
  constructor(write: (items: T[]) => Promise<void>) {
    this.#write = write;
  }

  /** Queue `item`; resolves once the batch that holds it is written. */
  push(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Resolves once everything queued so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Let the appends of the current tick join the first batch.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#write(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.#draining = undefined;
  }
}
