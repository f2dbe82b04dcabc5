import { describe, expect, it } from 'vitest';
import { desired } from '../fixtures.testing.js';
import { diagnosticAt } from './diagnostic-at.js';

describe('diagnosticAt', () => {
  it('places a finding at the manifest line of the pointer', () => {
    expect(diagnosticAt(desired('Role', 'r', { name: 'R' }), '/spec/name', 'warning', 'x.y', 'm')).toEqual({
      severity: 'warning',
      code: 'x.y',
      message: 'm',
      address: 'p/Role/r',
      file: 'm.yaml',
      line: '/spec/name'.length,
      column: 3,
    });
  });

  it('without a position when the manifest has none (e.g. a resource made in code)', () => {
    const d = { ...desired('Role', 'r', { name: 'R' }), positionOf: () => undefined };
    expect(diagnosticAt(d, '', 'error', 'x.y', 'm')).toEqual({
      severity: 'error',
      code: 'x.y',
      message: 'm',
      address: 'p/Role/r',
    });
  });
});
