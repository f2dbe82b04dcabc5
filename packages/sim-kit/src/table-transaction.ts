/** A record a simulator table holds: keyed by `key`, never mutated in place. */
export interface KeyedRecord {
  key: string;
}

/** What a {@link TableTransaction} and a journaled store need of a simulator's table. */
export interface StoreTable {
  /** The last key handed out by {@link TableTransaction.newKey}. */
  seq: number;
  get(key: string): KeyedRecord | undefined;
  values(): Iterable<KeyedRecord>;
  set(record: KeyedRecord): void;
  remove(key: string): void;
  /** Drop every record and reset `seq`. */
  clear(): void;
}

/** One change in the journal: put a record, delete a key, or advance a key sequence. */
export type JournalOp = ['p', string, KeyedRecord] | ['d', string, string] | ['s', string, number];

/**
 * Writes to a simulator's tables that record themselves as journal ops and can be undone: reads
 * see the transaction's own writes at once, and {@link rollback} puts everything back when the
 * transaction throws. Simulators extend it with typed table access.
 */
export class TableTransaction {
  /** The changes made so far, in order (what the journal line will hold). */
  readonly ops: JournalOp[] = [];
  protected readonly tables: ReadonlyMap<string, StoreTable>;
  readonly #undo: Array<() => void> = [];

  constructor(tables: ReadonlyMap<string, StoreTable>) {
    this.tables = tables;
  }

  /** Store `record` under its key, replacing any record with that key. */
  put(name: string, record: KeyedRecord): void {
    const t = this.tables.get(name)!;
    const prev = t.get(record.key);
    this.#undo.push(prev ? () => t.set(prev) : () => t.remove(record.key));
    t.set(record);
    this.ops.push(['p', name, record]);
  }

  /** Delete the record with `key`, if there is one. */
  del(name: string, key: string): void {
    const t = this.tables.get(name)!;
    const prev = t.get(key);
    if (!prev) return;
    this.#undo.push(() => t.set(prev));
    t.remove(key);
    this.ops.push(['d', name, key]);
  }

  /** The next key of a table's sequence ("1", "2", …, or on from {@link setSeq}). */
  newKey(name: string): string {
    const t = this.tables.get(name)!;
    t.seq += 1;
    this.#undo.push(() => {
      t.seq -= 1;
    });
    this.ops.push(['s', name, t.seq]);
    return String(t.seq);
  }

  /** Continue a table's keys after `seq`; a sequence never goes back, so a lower `seq` is ignored. */
  setSeq(name: string, seq: number): void {
    const t = this.tables.get(name)!;
    const prev = t.seq;
    if (seq <= prev) return;
    this.#undo.push(() => {
      t.seq = prev;
    });
    t.seq = seq;
    this.ops.push(['s', name, seq]);
  }

  /** Undo every write, newest first, and forget the ops. */
  rollback(): void {
    for (const u of this.#undo.reverse()) u();
    this.#undo.length = 0;
    this.ops.length = 0;
  }
}
