import { describe, expect, it } from 'vitest';
import { MapTable } from './map-table.testing.js';
import { type KeyedRecord, TableTransaction } from './table-transaction.js';

function setup() {
  const users = new MapTable();
  users.set({ key: '1', name: 'old' } as KeyedRecord);
  users.set({ key: '2' });
  users.seq = 2;
  return { users, tx: new TableTransaction(new Map([['user', users]])) };
}

describe('TableTransaction', () => {
  it('writes through at once and records each change as a journal op', () => {
    const { users, tx } = setup();
    const key = tx.newKey('user');
    tx.put('user', { key });
    tx.del('user', '2');
    tx.del('user', 'missing');
    tx.setSeq('user', 10);
    tx.setSeq('user', 5);
    expect(key).toBe('3');
    expect([...users.rows.keys()]).toEqual(['1', '3']);
    expect(users.seq).toBe(10);
    expect(tx.ops).toEqual([
      ['s', 'user', 3],
      ['p', 'user', { key: '3' }],
      ['d', 'user', '2'],
      ['s', 'user', 10],
    ]);
  });

  it('rolls back every write, replaced and deleted records and the key sequence included', () => {
    const { users, tx } = setup();
    tx.put('user', { key: '1', name: 'new' } as KeyedRecord);
    tx.put('user', { key: tx.newKey('user') });
    tx.del('user', '2');
    tx.setSeq('user', 100);
    tx.rollback();
    expect(users.rows).toEqual(
      new Map([
        ['1', { key: '1', name: 'old' }],
        ['2', { key: '2' }],
      ]),
    );
    expect(users.seq).toBe(2);
    expect(tx.ops).toEqual([]);
  });
});
