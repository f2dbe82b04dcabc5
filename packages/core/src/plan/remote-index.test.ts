import { describe, expect, it } from 'vitest';
import type { RemoteObject } from '../provider.js';
import { indexRemote } from './remote-index.js';

const obj = (id: unknown, naturalKey: string, extra: Partial<RemoteObject> = {}): RemoteObject =>
  ({ id, naturalKey, attributes: {}, ...extra }) as RemoteObject;

describe('indexRemote', () => {
  it('finds objects by id and natural key within their provider and kind only', () => {
    const user = obj('1', 'U1');
    const role = obj('1', 'R1');
    const index = indexRemote(
      new Map([
        [
          'p',
          new Map([
            ['User', [user]],
            ['Role', [role]],
          ]),
        ],
        ['q', new Map([['User', []]])],
      ]),
    );
    expect(index.byId('p', 'User', '1')).toBe(user);
    expect(index.byId('p', 'Role', '1')).toBe(role);
    expect(index.byKey('p', 'Role', 'R1')).toBe(role);
    expect(index.byKey('p', 'Role', 'U1')).toBeUndefined();
    expect(index.byId('q', 'User', '1')).toBeUndefined();
    expect(index.byId('r', 'User', '1')).toBeUndefined();
  });

  it('matches ids as text, and prefers a manageable object over a conflicting one', () => {
    const numeric = obj(7, 'A');
    const conflict = obj('8', 'B', { conflict: 'a standard user' });
    const manageable = obj('9', 'B');
    const later = obj('10', 'B');
    const index = indexRemote(new Map([['p', new Map([['User', [numeric, conflict, manageable, later]]])]]));
    expect(index.byId('p', 'User', '7')).toBe(numeric);
    expect(index.byKey('p', 'User', 'B')).toBe(manageable);
  });
});
