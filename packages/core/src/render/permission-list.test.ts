import { describe, expect, it } from 'vitest';
import { flatMapDifferences, flatMapLines, groupPermissions, isFlatMap } from './permission-list.js';

describe('groupPermissions', () => {
  it('groups the rights of one subject on one line, split at the last ": "', () => {
    expect(
      groupPermissions([
        'Service Desk › Tickets: Add',
        'CRM › Account & Contact Access: All',
        'Service Desk › Tickets: Edit',
        'autotask-prod: Service Desk › Tickets: View',
        'autotask-prod: Service Desk › Tickets: Add',
        'admin',
      ]),
    ).toEqual([
      'Service Desk › Tickets: Add, Edit',
      'CRM › Account & Contact Access: All',
      'autotask-prod: Service Desk › Tickets: View, Add',
      'admin',
    ]);
  });
});

describe('flat maps (permission maps)', () => {
  it('recognises a map of names to values or lists, not references or nested objects', () => {
    expect(isFlatMap({ Contacts: 'view', 'ap/Bills': ['add', 'approve'] })).toBe(true);
    expect(isFlatMap({ ref: 'gl-read' })).toBe(false);
    expect(isFlatMap({ a: { b: 1 } })).toBe(false);
    expect(isFlatMap({})).toBe(false);
    expect(isFlatMap(['a'])).toBe(false);
    expect(isFlatMap('view')).toBe(false);
  });

  it('reads as one line a key', () => {
    expect(flatMapLines({ Contacts: 'view', 'ap/Bills': ['add', 'approve'], Old: [] })).toEqual([
      'Contacts: view',
      'ap/Bills: add, approve',
      'Old: (none)',
    ]);
  });

  it('lists only the keys that differ, list values compared as sets', () => {
    expect(
      flatMapDifferences(
        { 'ap/Bills': ['add', 'list'], Contacts: 'view', Vendors: ['list'] },
        { 'ap/Bills': ['list', 'add'], Contacts: 'edit', Payments: ['list'] },
      ),
    ).toEqual([
      { key: 'Contacts', before: 'view', after: 'edit' },
      { key: 'Payments', after: 'list' },
      { key: 'Vendors', before: 'list' },
    ]);
    expect(flatMapDifferences(null, { A: 'x' })).toEqual([{ key: 'A', after: 'x' }]);
  });
});
