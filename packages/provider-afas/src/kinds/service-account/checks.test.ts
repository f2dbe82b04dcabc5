import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { connectorKind } from '../connector/index.js';
import { groupKind } from '../group/index.js';
import { account } from '../kinds.testing.js';
import { serviceAccountKind } from '../service-account/index.js';

describe('ServiceAccount checks', () => {
  it("requires an e-mail address at /email, as roster's rule (AFAS does not)", () => {
    const { email: _e, ...spec } = account;
    expect(serviceAccountKind.check({ name: 'x', spec }).diagnostics).toEqual([
      {
        severity: 'error',
        code: 'afas.roster-email-required',
        path: '/email',
        message:
          "12345.WS-INVOICE needs an e-mail address (roster's rule, not AFAS's: AFAS accepts a user without one, but mails the one-time password of its OTP token flow to it)",
      },
    ]);
  });

  it('links the user to a person: an optional code of at most 15 characters (BcCo)', () => {
    const person = (serviceAccountKind.schema.properties as Record<string, Record<string, unknown>>).person;
    expect(person).toMatchObject({ type: 'string', minLength: 1, maxLength: 15 });
    expect(serviceAccountKind.schema.required).toEqual(['userId']);
    expect(serviceAccountKind.attributes.person?.description).toMatch(/BcCo/);
  });

  it('requires Profit Windows or InSite, pointing at the attribute that is off', () => {
    const at = (extra: Record<string, unknown>) =>
      serviceAccountKind
        .check({ name: 'x', spec: { ...account, inSite: undefined, ...extra } })
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => [d.code, d.path]);
    expect(at({})).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ inSite: false })).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ windows: false, inSite: false })).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ windows: false })).toEqual([['afas.application-required', '/windows']]);
    expect(at({ inSite: true })).toEqual([]);
  });

  it('notes Profit Windows access on an integration user', () => {
    const d = serviceAccountKind.check({ name: 'x', spec: { ...account, windows: true } }).diagnostics;
    expect(d).toEqual([
      expect.objectContaining({ severity: 'info', code: 'afas.windows-access', path: '/windows' }),
    ]);
  });

  it('declares its rules as data', () => {
    expect(serviceAccountKind.naturalKey(account)).toBe('12345.WS-INVOICE');
    expect(serviceAccountKind.attributes.userId?.immutable).toBe(true);
    expect(serviceAccountKind.attributes.connector).toMatchObject({
      ref: 'Connector',
      update: 'manual',
      verifiable: false,
      createValues: [null],
      createAs: null,
    });
    expect(serviceAccountKind.attributes.credentials).toMatchObject({ local: true });
    expect(serviceAccountKind.attributes.groups).toMatchObject({ ref: 'Group', set: true });
    expect(serviceAccountKind.deactivation).toEqual({
      attribute: 'blocked',
      value: true,
      activeValue: false,
    });
    expect(serviceAccountKind.onRemoveOptions).toEqual(['deactivate']);
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'api',
      read: 'api',
      update: 'api',
      delete: 'none',
      rotate: 'manual',
    });
    expect(kindCapabilities(groupKind)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'manual',
      delete: 'manual',
      rotate: 'none',
    });
    expect(kindCapabilities(connectorKind)).toEqual({
      create: 'manual',
      read: 'none',
      update: 'manual',
      delete: 'manual',
      rotate: 'none',
    });
    for (const rule of Object.values(connectorKind.attributes)) expect(rule.verifiable).toBe(false);
    expect(connectorKind.attributes.blocked).toMatchObject({ createValues: [true], createAs: true });
  });

  it('explains the KnUser steps of a group change', () => {
    expect(serviceAccountKind.updateSteps({ changed: ['groups', 'blocked'] })).toEqual([
      'groups added: KnUser PUT with MtCd 1 and GrId, one per group',
      'groups removed: KnUser cannot leave one group, so MtCd 0 (block, leave all groups), MtCd 1 with GrId per remaining group, then MtCd 6 (unblock): the account cannot exchange data for those seconds',
      'KnUser PUT with MtCd 2 (block) or MtCd 6 (unblock)',
    ]);
  });
});
