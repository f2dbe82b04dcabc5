import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import type { KindDefinition } from '../provider.js';
import {
  changesBy,
  comparableAttributes,
  driftOf,
  manualOperations,
  mismatches,
  withoutIds,
} from './compare.js';

const def = {
  schema: {},
  description: 'a test kind',
  role: 'account' as const,
  attributes: {
    name: {},
    rights: {
      set: true,
      privilege: true,
      absent: [],
      normalize: (v: unknown) => (v === 'all' ? ['r', 'w'] : v),
    },
    secret: { sensitive: true },
    credentials: { local: true },
    vendor: { verifiable: false, update: 'manual' },
    active: {},
  },
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'none', rotate: 'manual' }),
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
} satisfies KindDefinition;

const object = (attributes: Record<string, unknown>) => ({ id: '7', naturalKey: 'a', attributes });

describe('comparing what was declared with what a sandbox reports', () => {
  it('compares as a plan does: normalized, absent privileges filled in, local and unreadable left out', () => {
    expect(comparableAttributes(def, { name: 'a', secret: 's', credentials: {}, vendor: 'v' })).toEqual({
      name: 'a',
      rights: [],
    });
    expect(comparableAttributes(def, { name: 'a', rights: 'all', owner: { ref: 'x', id: '1' } })).toEqual({
      name: 'a',
      rights: ['r', 'w'],
      owner: { ref: 'x' },
    });
  });

  it('names each attribute read otherwise, sets compared without order', () => {
    expect(
      mismatches(def, { name: 'a', rights: ['w', 'r'] }, object({ name: 'a', rights: ['r', 'w'] })),
    ).toEqual([]);
    expect(mismatches(def, { name: 'a' }, object({ name: 'a', rights: ['admin'] }))).toEqual([
      'rights: declared [], read ["admin"]',
    ]);
  });

  it("finds drift with core's own detection", () => {
    expect(
      driftOf('Thing', def, { name: 'a', active: true }, object({ name: 'a', active: true, rights: [] })),
    ).toEqual([]);
    const drift = driftOf(
      'Thing',
      def,
      { name: 'a', active: true },
      object({ name: 'b', active: true, rights: [] }),
    );
    expect(drift.flatMap((d) => d.attributes.map((a) => a.path))).toEqual(['/name']);
  });

  it('splits changes by how they are made, and lists the manual operations that need a runbook', () => {
    expect(changesBy(def, { name: 'b', vendor: 'v' }, 'manual')).toEqual({ vendor: 'v' });
    expect(changesBy(def, { name: 'b', vendor: 'v' }, 'api')).toEqual({ name: 'b' });
    expect(manualOperations(def)).toEqual(['update', 'rotate']);
    expect(withoutIds({ a: { ref: 'x', id: '1' }, b: [{ ref: 'y', id: '2' }], c: 3 })).toEqual({
      a: { ref: 'x' },
      b: [{ ref: 'y' }],
      c: 3,
    });
  });
});
