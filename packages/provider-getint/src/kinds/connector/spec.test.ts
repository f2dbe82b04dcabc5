import { readFileSync } from 'node:fs';
import type { AttributeRule } from '@roster/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { GetintApp } from './apps.js';
import { connectorKind } from './index.js';
import { type ConnectorSpec, connectorSpec } from './spec.js';

const published = new URL('../../../../../schemas/getint/Connector.schema.json', import.meta.url);

describe('Getint Connector spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(`${JSON.stringify(connectorKind.schema, null, 2)}\n`).toBe(readFileSync(published, 'utf8'));
  });

  it('yields the rules the kind declared by hand before the builders', () => {
    // Getint has no API to read a connection: every attribute rests on a person's confirmation.
    const attested = (rule: AttributeRule = {}): AttributeRule => ({
      verifiable: false,
      update: 'manual',
      ...rule,
    });
    expect(connectorSpec.attributes).toStrictEqual({
      name: attested({ immutable: true }),
      app: attested({ fixedAtCreation: true }),
      url: attested(),
      sharing: attested({ privilege: true, absent: 'view' }),
      account: attested({ privilege: true }),
      syncs: attested({ set: true }),
      credentials: { local: true },
    });
    expect(Object.keys(connectorKind.attributes)).toEqual(
      Object.keys(connectorKind.schema.properties as object),
    );
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<ConnectorSpec>().toEqualTypeOf<{
      name: string;
      app: GetintApp;
      url: string;
      account: { ref: string; output?: string } | { external: { system: string; user: string } };
      sharing?: 'view' | 'use' | 'edit';
      syncs?: Array<{ object: string; write?: boolean }>;
      credentials?: { secret?: string; rotateAfterDays?: number };
    }>();
  });
});
