import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Right } from '../common.js';
import { problems, published, role } from '../kinds.testing.js';
import { type SecurityLevelSpec, securityLevelSpec } from './spec.js';

describe('SecurityLevel spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(`${JSON.stringify(securityLevelSpec.schema, null, 2)}\n`).toBe(published('SecurityLevel'));
  });

  it('yields the rules the kind declared by hand before the builders', () => {
    expect(securityLevelSpec.attributes).toStrictEqual({
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
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<SecurityLevelSpec>().toEqualTypeOf<{
      name: string;
      securityPermissions: boolean;
      description?: string;
      permissions?: Record<string, Right[]>;
    }>();
  });

  it('accepts the documented shape', () => {
    expect(problems(securityLevelSpec.schema, role)).toEqual([]);
  });

  it('keep ";" out of role names and ":" "," ";" out of permission areas (the export separates with them)', () => {
    expect(problems(securityLevelSpec.schema, { ...role, name: 'A; B' })).not.toEqual([]);
    expect(problems(securityLevelSpec.schema, { ...role, permissions: { 'A: B': ['Read'] } })).not.toEqual(
      [],
    );
    expect(problems(securityLevelSpec.schema, { ...role, permissions: { A: [] } })).not.toEqual([]);
    expect(problems(securityLevelSpec.schema, { ...role, permissions: { A: ['Approve'] } })).not.toEqual([]);
  });

  it('require securityPermissions to be said explicitly', () => {
    const { securityPermissions: _s, ...rest } = role;
    expect(problems(securityLevelSpec.schema, rest)).not.toEqual([]);
  });
});
