import { type ConnectRequest, kindCapabilities, Secret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { AfasConnection } from './connection.js';
import provider, { connectAfas } from './provider.js';
import { quiet } from './sandbox/sandbox.testing.js';

function request(config: Record<string, unknown>, extra: Partial<ConnectRequest> = {}): ConnectRequest {
  return {
    name: 'afas',
    config: { type: 'afas', ...config },
    credentials: {},
    readOnly: false,
    log: quiet,
    ...extra,
  };
}

describe('provider object', () => {
  it('declares its type, kinds and capabilities', () => {
    expect(provider.type).toBe('afas');
    expect(provider.displayName).toBe('AFAS Profit');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'Group', 'Connector']);
    expect(provider.kinds.ServiceAccount.deleteMode).toBe('deactivate');
    expect(kindCapabilities(provider.kinds.Connector).read).toBe('none');
  });

  it('keeps only the session on the connection: the operations are the kinds’, manual steps the sandbox’s', async () => {
    expect(Object.getOwnPropertyNames(AfasConnection.prototype).sort()).toEqual([
      'close',
      'constructor',
      'stats',
    ]);
    const real = await connectAfas(
      request({ environmentId: '12345' }, { credentials: { token: new Secret('ABC', 'env:AFAS_TOKEN') } }),
    );
    expect(Object.keys(real).sort()).toEqual(['cfg', 'client']);
    await real.close();
  });

  it('reaches endpoint sandbox only through the sandbox entry, which starts the simulator first', async () => {
    await expect(connectAfas(request({ endpoint: 'sandbox' }))).rejects.toThrow(
      'provider afas: endpoint sandbox needs the AFAS Profit sandbox (@roster/provider-afas/sandbox) started first',
    );
  });

  it('cannot read app connectors: no API reads them', () => {
    expect('api' in provider.kinds.Connector).toBe(false);
    expect(kindCapabilities(provider.kinds.Connector).read).toBe('none');
  });
});
