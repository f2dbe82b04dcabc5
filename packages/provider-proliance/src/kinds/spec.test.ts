import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Right } from './common.js';
import { securityLevelKind } from './security-level/index.js';
import type { SecurityLevelSpec } from './security-level/spec.js';
import { serviceAccountKind } from './service-account/index.js';
import type { ServiceAccountSpec } from './service-account/spec.js';

const published = (kind: string) =>
  readFileSync(new URL(`../../../../schemas/proliance/${kind}.schema.json`, import.meta.url), 'utf8');

describe('Proliance kinds, each declared once with the spec builders', () => {
  it('yield the published schemas byte for byte', () => {
    expect(`${JSON.stringify(securityLevelKind.schema, null, 2)}\n`).toBe(published('SecurityLevel'));
    expect(`${JSON.stringify(serviceAccountKind.schema, null, 2)}\n`).toBe(published('ServiceAccount'));
  });

  it('yield the rules the kinds declared by hand before the builders', () => {
    expect(securityLevelKind.attributes).toStrictEqual({
      name: { description: 'Name of the role (the Role Name column).' },
      description: { description: 'Description (the Description column).' },
      permissions: {
        set: true,
        privilege: true,
        absent: {},
        description: 'Rights per permission area (the Permissions column).',
      },
      securityPermissions: {
        privilege: true,
        description:
          'Grants Security Permissions: holders can change roles (the Security Permissions column).',
      },
    });
    expect(serviceAccountKind.attributes).toStrictEqual({
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

  it('yield the types the interfaces spelled out', () => {
    expectTypeOf<SecurityLevelSpec>().toEqualTypeOf<{
      name: string;
      securityPermissions: boolean;
      description?: string;
      permissions?: Record<string, Right[]>;
    }>();
    expectTypeOf<ServiceAccountSpec>().toEqualTypeOf<{
      owner: { staff: string } | { contact: string };
      accountName: string;
      securityCategory: string;
      roles?: Array<{ ref: string }>;
      systemIntegration?: { externalSystem: string; externalAccount?: string };
      active?: boolean;
    }>();
  });
});
