import { describe, expect, expectTypeOf, it } from 'vitest';
import { published, schemaText } from '../kinds.testing.js';
import { connectorKind } from './index.js';
import type { ConnectorSpec } from './spec.js';

describe('AFAS Connector spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(schemaText(connectorKind)).toBe(published('Connector'));
  });

  it('yields the rules the kind declared by hand before the builders: nothing is readable', () => {
    expect(connectorKind.attributes).toStrictEqual({
      description: {
        verifiable: false,
        fixedAtCreation: true,
        description:
          'Identifies the app connector; a new description means a new app connector (and new tokens).',
      },
      group: {
        verifiable: false,
        ref: 'Group',
        privilege: true,
        description: 'The user group allowed to use it.',
      },
      getConnectors: {
        verifiable: false,
        set: true,
        privilege: true,
        absent: [],
        description: 'GetConnectors it includes.',
      },
      updateConnectors: {
        verifiable: false,
        set: true,
        privilege: true,
        absent: [],
        description: 'UpdateConnectors it includes.',
      },
      blocked: {
        verifiable: false,
        createValues: [true],
        createAs: true,
        description: 'Blocked; a new app connector starts blocked, so unblocking is its own step.',
      },
    });
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<ConnectorSpec>().toEqualTypeOf<{
      description: string;
      group: { ref: string };
      getConnectors?: string[];
      updateConnectors?: string[];
      blocked?: boolean;
    }>();
  });
});
