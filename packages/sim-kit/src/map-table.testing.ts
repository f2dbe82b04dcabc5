import type { KeyedRecord, StoreTable } from './table-transaction.js';

/** The plainest {@link StoreTable}: records in a Map, in insertion order. */
export class MapTable implements StoreTable {
  readonly rows = new Map<string, KeyedRecord>();
  seq = 0;
  get(key: string): KeyedRecord | undefined {
    return this.rows.get(key);
  }
  values(): Iterable<KeyedRecord> {
    return this.rows.values();
  }
  set(record: KeyedRecord): void {
    this.rows.set(record.key, record);
  }
  remove(key: string): void {
    this.rows.delete(key);
  }
  clear(): void {
    this.rows.clear();
    this.seq = 0;
  }
}
