import { describe, expect, it } from 'vitest';
import { desired } from '../fixtures.testing.js';
import { withDependencies } from './targets.js';

describe('withDependencies', () => {
  it('the targets and what they depend on, transitively, not what depends on them', () => {
    const r = desired('Role', 'r', { name: 'R' });
    const g = desired('Role', 'g', { name: 'G' }, { dependencies: [r.address] });
    const a = desired('Account', 'a', { id: 'A' }, { dependencies: [g.address] });
    const b = desired('Account', 'b', { id: 'B' }, { dependencies: [r.address] });
    expect([...withDependencies([r, g, a, b], new Set([a.address]))].sort()).toEqual(
      [a.address, g.address, r.address].sort(),
    );
  });
});
