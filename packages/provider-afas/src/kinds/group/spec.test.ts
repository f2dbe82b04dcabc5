import { describe, expect, expectTypeOf, it } from 'vitest';
import { published, schemaText } from '../kinds.testing.js';
import { groupKind } from './index.js';
import type { GroupSpec } from './spec.js';

describe('AFAS Group spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(schemaText(groupKind)).toBe(published('Group'));
  });

  it('yields the rules the kind declared by hand before the builders', () => {
    expect(groupKind.attributes).toStrictEqual({
      id: { immutable: true, description: 'Group code; cannot change once created.' },
      description: {
        description: 'Description of the group (verified through the user-groups GetConnector).',
      },
    });
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<GroupSpec>().toEqualTypeOf<{ id: string; description: string }>();
  });
});
