import { describe, expect, it } from 'vitest';
import { accountKind, connectorKind, remoteObject, stateEntry } from './fixture.testing.js';
import { lastUsedOf } from './last-used.js';
import type { PopulationMember } from './population.js';

const member = (m: Partial<PopulationMember>): PopulationMember =>
  ({ role: 'account', status: 'managed', managed: true, seen: 'system', id: '1', ...m }) as PopulationMember;
const signedIn = stateEntry(
  'books',
  'ServiceAccount',
  'a',
  '1',
  'A',
  {},
  { lastSignInAt: '2026-06-01T00:00:00Z' },
);

describe('last used', () => {
  it("prefers the system's own record, citing its field", () => {
    const remote = remoteObject('1', 'A', {}, { lastUsedAt: '2026-06-20T00:00:00Z' });
    expect(lastUsedOf(member({ remote, stateEntry: signedIn }), accountKind)).toEqual({
      at: '2026-06-20T00:00:00Z',
      source: 'system',
      field: 'lastLogin',
    });
  });

  it('else the last roster test sign-in, labelled as such', () => {
    expect(
      lastUsedOf(member({ remote: remoteObject('1', 'A', {}), stateEntry: signedIn }), accountKind),
    ).toEqual({
      at: '2026-06-01T00:00:00Z',
      source: 'roster-test',
      field: null,
    });
  });

  it('else unknown, saying why', () => {
    const why = (m: Partial<PopulationMember>, def = accountKind) => lastUsedOf(member(m), def).unknownReason;
    expect(why({}, connectorKind)).toBe('the system records no last use; roster test cannot sign in as it');
    expect(why({}, { ...connectorKind, untestable: 'a connection has no password roster knows' })).toBe(
      'the system records no last use; a connection has no password roster knows',
    );
    expect(why({}, { ...accountKind, lastUsed: undefined })).toBe(
      'the system records no last use; no roster test sign-in is recorded',
    );
    expect(why({ managed: false, status: 'unmanaged' })).toBe(
      'lastLogin is empty; roster test signs in only as accounts the manifests declare',
    );
    expect(why({ seen: 'state' })).toBe(
      'lastLogin was not read (the system was not listed); no roster test sign-in is recorded',
    );
    expect(why({ seen: 'gone' })).toBe('the system no longer holds it');
  });
});
