import { describe, expect, it } from 'vitest';
import { account, desired, obj } from '../fixtures.testing.js';
import { indexRemote } from '../remote-index.js';
import { matchRemote, orderedDesired } from './matching.js';

const d = desired('Account', 'a', { id: 'WS_A' });
const index = (...objects: ReturnType<typeof obj>[]) =>
  indexRemote(new Map([['p', new Map([['Account', objects]])]]));
const st = (id: string) => ({
  provider: 'p',
  kind: 'Account',
  name: 'a',
  id,
  naturalKey: 'WS_OLD',
  attributes: {},
  dependencies: [],
});

describe('matchRemote', () => {
  it('finds the object state records by id, even under another natural key', () => {
    const m = matchRemote(d, account, st('7'), index(obj('7', { id: 'WS_OLD' }), obj('8', { id: 'WS_A' })));
    expect(m).toMatchObject({ matchedBy: 'state', remote: { id: '7' } });
  });

  it('falls back to the natural key when state has none or it is gone', () => {
    expect(matchRemote(d, account, st('9'), index(obj('8', { id: 'WS_A' })))).toMatchObject({
      matchedBy: 'naturalKey',
      remote: { id: '8' },
    });
    expect(matchRemote(d, account, undefined, index())).toEqual({ remote: undefined });
  });

  it('a key held by an object of another sort is an error at the natural key line', () => {
    const m = matchRemote(
      d,
      account,
      undefined,
      index(obj('8', { id: 'WS_A' }, { conflict: 'a standard user' })),
    );
    expect(m.remote).toBeUndefined();
    expect(m).toMatchObject({
      conflict: {
        severity: 'error',
        code: 'plan.natural-key-conflict',
        message: 'a standard user',
        line: '/spec/id'.length,
      },
    });
  });
});

describe('orderedDesired', () => {
  it('dependency order first, then what the order does not list', () => {
    const a = desired('Account', 'a', { id: 'A' });
    const b = desired('Account', 'b', { id: 'B' });
    expect(orderedDesired({ order: [b.address], desired: [a, b] })).toEqual([b.address, a.address]);
  });
});
