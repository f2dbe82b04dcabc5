import { describe, expect, it } from 'vitest';
import { connectorKind } from '../connector/index.js';

describe('Connector checks', () => {
  it('warns about an app connector that includes no connectors', () => {
    const d = connectorKind.check({
      name: 'x',
      spec: { description: 'Empty', group: { ref: 'g' } },
    }).diagnostics;
    expect(d).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'afas.connector-empty', path: '/getConnectors' }),
    ]);
  });
});
