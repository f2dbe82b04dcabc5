/** What a store needs of its `JournaledStore` (typed by the transaction interface it exposes). */
export interface TablesJournal<Tx> {
  readonly file: string | undefined;
  readonly version: number;
  catchUp(): Promise<void>;
  transact<T>(fn: (tx: Tx) => T): Promise<T>;
  close(): Promise<void>;
}

/**
 * What every simulator's store does with its journal, written once: read on up-to-date data,
 * transact under the cross-process lock, close. A provider's store extends it with its tables.
 */
export abstract class JournaledTables<Tx> {
  readonly #journal: TablesJournal<Tx>;

  protected constructor(journal: TablesJournal<Tx>) {
    this.#journal = journal;
  }

  /** The snapshot file, when persisted. */
  get file(): string | undefined {
    return this.#journal.file;
  }

  /** Bumped on every change seen by this process (query caches key on it). */
  get version(): number {
    return this.#journal.version;
  }

  /** Run `fn` against current data (catching up with other processes first if their files changed). */
  async read<T>(fn: (db: this) => T): Promise<T> {
    await this.#journal.catchUp();
    return fn(this);
  }

  /**
   * Run `fn` as one transaction: under the cross-process lock, on up-to-date data, made durable
   * before the promise resolves. `fn` is synchronous so nothing else interleaves with it.
   */
  transact<T>(fn: (tx: Tx) => T): Promise<T> {
    return this.#journal.transact(fn);
  }

  /** Wait for queued transactions, then refuse new ones. */
  close(): Promise<void> {
    return this.#journal.close();
  }
}
