import { afterEach, describe, expect, it } from 'vitest';
import { JournaledStore } from './journaled-store.js';
import { JournaledTables } from './journaled-tables.js';
import { MapTable } from './map-table.testing.js';
import { type StoreTable, TableTransaction } from './table-transaction.js';

/** The smallest store a simulator would write: one table over an in-memory journal. */
class ItemStore extends JournaledTables<TableTransaction> {
  readonly items: MapTable;
  private constructor(items: MapTable, journal: JournaledStore<TableTransaction>) {
    super(journal);
    this.items = items;
  }
  static async open(): Promise<ItemStore> {
    const items = new MapTable();
    const tables = new Map<string, StoreTable>([['item', items]]);
    const journal = await JournaledStore.open({
      tables,
      newTransaction: () => new TableTransaction(tables),
      dir: undefined,
      fileBase: 'items',
      format: 'roster-test-sandbox',
      systemName: 'Test',
      compactBytes: 1024,
      writeFileAtomic: async () => {},
    });
    return new ItemStore(items, journal);
  }
}

const opened: ItemStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('JournaledTables', () => {
  it('transacts through the journal, bumping the version, and reads the result', async () => {
    const store = await ItemStore.open();
    opened.push(store);
    expect(store.file).toBeUndefined();
    const before = store.version;
    const key = await store.transact((tx) => {
      const k = tx.newKey('item');
      tx.put('item', { key: k });
      return k;
    });
    expect(store.version).toBeGreaterThan(before);
    expect(await store.read((db) => db.items.get(key))).toEqual({ key });
  });

  it('undoes a transaction that throws', async () => {
    const store = await ItemStore.open();
    opened.push(store);
    await expect(
      store.transact((tx) => {
        tx.put('item', { key: 'x' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await store.read((db) => db.items.get('x'))).toBeUndefined();
  });

  it('refuses transactions once closed', async () => {
    const store = await ItemStore.open();
    await store.close();
    await expect(store.transact(() => 1)).rejects.toThrow();
  });
});
