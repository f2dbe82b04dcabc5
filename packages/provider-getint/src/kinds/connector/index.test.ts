import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { connectorKind } from './index.js';

describe('Getint Connector kind', () => {
  it('warns that changing the account or URL can break integrations, and attests everything', () => {
    expect(connectorKind.updateSteps?.({ changed: ['url'] })).toHaveLength(1);
    expect(connectorKind.updateSteps?.({ changed: ['sharing'] })).toEqual([]);
    expect(
      Object.entries(connectorKind.attributes).filter(([, r]) => !r.local && r.verifiable !== false),
    ).toEqual([]);
    // No management API: every operation is a runbook step, and connections cannot be read.
    expect(kindCapabilities(connectorKind)).toEqual({
      create: 'manual',
      read: 'none',
      update: 'manual',
      delete: 'manual',
      rotate: 'manual',
    });
  });
});
