import { describe, expect, it } from 'vitest';
import type { AttributeRule } from '../../provider.js';
import { account, desired, obj } from '../fixtures.testing.js';
import { attestationEntries, attestedView, reconfirmDraft } from './attestation.js';
import { desiredSubject } from './draft.js';

const rules: Record<string, AttributeRule> = {
  id: {},
  mfa: { verifiable: false },
  note: { verifiable: false },
};
const remote = obj('7', { id: 'A', mfa: 'whatever the system says' });
const now = new Date('2026-01-01T00:00:00Z');
const recorded = (attributes: Record<string, unknown>, at?: string) => ({
  provider: 'p',
  kind: 'Account',
  name: 'a',
  id: '7',
  naturalKey: 'A',
  attributes,
  dependencies: [],
  ...(at ? { attestations: { mfa: { by: 'ann', at, via: 'operator' as const } } } : {}),
});
const view = (over: Partial<Parameters<typeof attestedView>[0]>) =>
  attestedView({
    keys: ['id', 'mfa'],
    rules,
    remote,
    recorded: undefined,
    pending: undefined,
    maxAgeDays: 90,
    now,
    ...over,
  });

describe('attestedView', () => {
  it('compares an unreadable attribute with what a person confirmed, never with the system', () => {
    const v = view({ recorded: recorded({ id: 'A', mfa: 'on' }, '2025-12-01T00:00:00Z') });
    expect(v.remote.attributes).toEqual({ id: 'A', mfa: 'on' });
    expect(v).toMatchObject({ unattested: [], fromRunbook: [], toConfirm: [] });
  });

  it('asks for a confirmation nobody gave, or one given too long ago', () => {
    const never = view({});
    expect(never.remote.attributes).toEqual({ id: 'A' });
    expect(never).toMatchObject({ unattested: ['mfa'], toConfirm: ['mfa'] });
    const old = view({ recorded: recorded({ id: 'A', mfa: 'on' }, '2025-09-01T00:00:00Z') });
    expect(old).toMatchObject({ unattested: [], toConfirm: ['mfa'] });
    expect(
      view({ recorded: recorded({ id: 'A', mfa: 'on' }, '2025-09-01T00:00:00Z'), maxAgeDays: 200 }).toConfirm,
    ).toEqual([]);
  });

  it('a runbook step that created the object vouches for its unreadable attributes', () => {
    const v = view({ pending: { operation: 'create', title: 't', issuedAt: '2025-12-30T00:00:00Z' } });
    expect(v).toMatchObject({ unattested: ['mfa'], fromRunbook: ['mfa'], toConfirm: [] });
  });
});

describe('reconfirmDraft', () => {
  it('a manual no-op that asks to confirm each attribute again, saying why', () => {
    const subject = desiredSubject(desired('Account', 'a', { id: 'A', mfa: 'on', note: 'x' }), {
      ...account,
      attributes: rules,
    });
    const r = reconfirmDraft(subject, ['mfa', 'note'], { id: 'A', mfa: 'on' }, remote, 'fp');
    expect(r).toMatchObject({
      action: 'no-op',
      manualOperation: 'reconfirm',
      reconfirm: ['mfa', 'note'],
      after: { id: 'A', mfa: 'on', note: 'x' },
      reasons: [
        {
          path: '/mfa',
          message: expect.stringContaining('its last confirmation has expired: confirm it is still "on"'),
        },
        { path: '/note', message: expect.stringContaining('no one has confirmed it yet: confirm it is "x"') },
      ],
    });
    expect(reconfirmDraft(subject, [], {}, remote, 'fp')).toBeUndefined();
  });
});

describe('attestationEntries', () => {
  it('lists every attestation in state with when it expires, per provider', () => {
    const state = {
      version: 1,
      lineage: 'L',
      serial: 1,
      resources: { 'p/Account/a': recorded({ mfa: 'on' }, '2025-12-01T00:00:00Z') },
    };
    const entries = (days: number) =>
      attestationEntries({ state, stateAddresses: ['p/Account/a'], maxAgeDays: () => days, now });
    expect(entries(90)).toEqual([
      {
        address: 'p/Account/a',
        attribute: 'mfa',
        by: 'ann',
        at: '2025-12-01T00:00:00Z',
        via: 'operator',
        expiresAt: '2026-03-01T00:00:00.000Z',
        expired: false,
      },
    ]);
    expect(entries(10)[0]).toMatchObject({ expiresAt: '2025-12-11T00:00:00.000Z', expired: true });
  });
});
