import { describe, expect, it } from 'vitest';
import { credentialAges, daysSince, oldestAttestation } from './ages.js';
import { accountKind, NOW, stateEntry } from './fixture.testing.js';

describe('credential and attestation ages', () => {
  const entry = stateEntry(
    'books',
    'ServiceAccount',
    'a',
    '1',
    'A',
    {},
    {
      credentialsIssuedAt: '2026-01-31T10:00:00Z',
    },
  );

  it('counts whole days, never below zero', () => {
    expect(daysSince('2026-06-29T12:00:01Z', NOW)).toBe(0);
    expect(daysSince('2026-06-28T12:00:00Z', NOW)).toBe(2);
    expect(daysSince('2026-07-30T00:00:00Z', NOW)).toBe(0);
  });

  it('rotation is due rotateAfterDays after the credentials were issued', () => {
    const spec = { credentials: { rotateAfterDays: 90 } };
    expect(credentialAges({ stateEntry: entry, spec, def: accountKind, now: NOW })).toEqual({
      issuedAt: '2026-01-31T10:00:00Z',
      ageDays: 150,
      rotateAfterDays: 90,
      rotationDue: '2026-05-01',
    });
  });

  it('without a manifest or an issue date, what is unknown is null', () => {
    expect(credentialAges({ stateEntry: entry, spec: undefined, def: accountKind, now: NOW })).toMatchObject({
      rotateAfterDays: null,
      rotationDue: null,
      ageDays: 150,
    });
    expect(
      credentialAges({
        stateEntry: undefined,
        spec: { credentials: { rotateAfterDays: 9 } },
        def: accountKind,
        now: NOW,
      }),
    ).toEqual({ issuedAt: null, ageDays: null, rotateAfterDays: 9, rotationDue: null });
  });

  it('the oldest attestation is the one to re-confirm first', () => {
    const attested = stateEntry(
      'books',
      'ServiceAccount',
      'a',
      '1',
      'A',
      {},
      {
        attestations: {
          x: { by: 'b', at: '2026-06-01T00:00:00Z', via: 'operator' },
          y: { by: 'a', at: '2026-03-01T00:00:00Z', via: 'runbook' },
        },
      },
    );
    expect(oldestAttestation(attested, NOW)).toEqual({ at: '2026-03-01T00:00:00Z', by: 'a', ageDays: 121 });
    expect(oldestAttestation(entry, NOW)).toBeNull();
  });
});
