import { describe, expect, it } from 'vitest';
import { obj } from '../fixtures.testing.js';
import { remoteFingerprint } from '../remote-fingerprint.js';
import { indexRemote } from '../remote-index.js';
import { acceptDrift } from './refresh-only.js';

describe('acceptDrift', () => {
  it('forgets what was deleted outside, takes in what changed (only the attributes state records)', () => {
    const changed = obj('7', { id: 'A', status: 'locked', extra: 1 });
    const index = indexRemote(new Map([['p', new Map([['Account', [changed]]])]]));
    const st = (id: string) => ({
      provider: 'p',
      kind: 'Account',
      name: id,
      id,
      naturalKey: id,
      attributes: { id: 'A', status: 'active' },
      dependencies: [],
    });
    const state = {
      version: 1,
      lineage: 'L',
      serial: 1,
      resources: { 'p/Account/a': st('7'), 'p/Account/b': st('8') },
    };
    const r = acceptDrift({
      drift: [
        { address: 'p/Account/a', provider: 'p', kind: 'Account', status: 'changed', attributes: [] },
        { address: 'p/Account/b', provider: 'p', kind: 'Account', status: 'deleted', attributes: [] },
      ],
      state,
      index,
    });
    expect(r).toEqual({
      forget: ['p/Account/b'],
      accept: [
        {
          address: 'p/Account/a',
          attributes: { id: 'A', status: 'locked' },
          remoteFingerprint: remoteFingerprint(changed),
        },
      ],
    });
  });
});
