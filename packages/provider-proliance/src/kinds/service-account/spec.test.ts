import { describe, expect, expectTypeOf, it } from 'vitest';
import { account, problems, published } from '../kinds.testing.js';
import { type ServiceAccountSpec, serviceAccountSpec } from './spec.js';

describe('ServiceAccount spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(`${JSON.stringify(serviceAccountSpec.schema, null, 2)}\n`).toBe(published('ServiceAccount'));
  });

  it('yields the rules the kind declared by hand before the builders', () => {
    expect(serviceAccountSpec.attributes).toStrictEqual({
      owner: {
        immutable: true,
        description: 'The staff member or contact that holds the account (Owner Type, Owner ID).',
      },
      accountName: { description: 'Account name (the Account Name column).' },
      securityCategory: { privilege: true, description: 'Security category (the Security Category column).' },
      roles: {
        ref: 'SecurityLevel',
        set: true,
        privilege: true,
        absent: [],
        description: 'Security roles (the Security Roles column).',
      },
      systemIntegration: {
        description: 'External system and account (the External System and External Account columns).',
      },
      active: { description: 'Active (the Active column); false is how roster removes an account.' },
    });
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<ServiceAccountSpec>().toEqualTypeOf<{
      owner: { staff: string } | { contact: string };
      accountName: string;
      securityCategory: string;
      roles?: Array<{ ref: string }>;
      systemIntegration?: { externalSystem: string; externalAccount?: string };
      active?: boolean;
    }>();
  });

  it('accept the documented shapes', () => {
    expect(problems(serviceAccountSpec.schema, account)).toEqual([]);
    expect(problems(serviceAccountSpec.schema, { ...account, owner: { contact: 'C-2001' } })).toEqual([]);
  });

  it('take one owner, staff or contact, never both', () => {
    expect(
      problems(serviceAccountSpec.schema, { ...account, owner: { staff: 'S-1', contact: 'C-1' } }),
    ).not.toEqual([]);
    expect(problems(serviceAccountSpec.schema, { ...account, owner: { staff: ' S-1' } })).not.toEqual([]);
  });

  it('have no password, credentials or log-on setting: the account cannot log on', () => {
    for (const extra of [{ password: 'x' }, { credentials: { secret: 'x' } }, { canLogOn: true }]) {
      expect(problems(serviceAccountSpec.schema, { ...account, ...extra })).not.toEqual([]);
    }
  });
});
