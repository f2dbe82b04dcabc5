import { describe, expect, expectTypeOf, it } from 'vitest';
import { published, schemaText } from '../kinds.testing.js';
import { serviceAccountKind } from './index.js';
import type { ServiceAccountSpec } from './spec.js';

describe('AFAS ServiceAccount spec, declared once with the spec builders', () => {
  it('yields the published schema byte for byte', () => {
    expect(schemaText(serviceAccountKind)).toBe(published('ServiceAccount'));
  });

  it('yields the rules the kind declared by hand before the builders', () => {
    expect(serviceAccountKind.attributes).toStrictEqual({
      userId: { immutable: true, description: 'User code; cannot change once created.' },
      name: { description: 'Description of the user.' },
      email: { description: "E-mail address; required by roster's rule for token users (OTP)." },
      person: { description: 'Person the user is linked to (KnUser BcCo, Profit_Users PersonId).' },
      windows: { privilege: true, absent: false, description: 'Profit Windows access.' },
      inSite: { privilege: true, absent: false, description: 'InSite access.' },
      groups: {
        set: true,
        ref: 'Group',
        privilege: true,
        absent: [],
        description: 'User groups (KnUser GrId).',
      },
      connector: {
        createValues: [null],
        createAs: null,
        ref: 'Connector',
        verifiable: false,
        privilege: true,
        absent: null,
        update: 'manual',
        description: 'The app connector whose user token the account holds (issued by hand, shown once).',
      },
      blocked: { description: 'Blocked (KnUser MtCd 2 / 6).' },
      credentials: { local: true, description: 'Where the token is stored, and when to rotate it.' },
    });
  });

  it('yields the type the interface spelled out', () => {
    expectTypeOf<ServiceAccountSpec>().toEqualTypeOf<{
      userId: string;
      name?: string;
      email?: string;
      person?: string;
      windows?: boolean;
      inSite?: boolean;
      groups?: Array<{ ref: string }>;
      connector?: { ref: string };
      blocked?: boolean;
      credentials?: { token?: string; rotateAfterDays?: number };
    }>();
  });
});
