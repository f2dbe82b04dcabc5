import { isLoopback, Secret, UserError } from '@roster/core';
import { faultsFromEnv } from '@roster/sim-kit';
import { describe, expect, it } from 'vitest';
import { clientCredentials, readConfig, SANDBOX_PLACEHOLDER_CREDENTIALS } from './config.js';

const secret = (v: string) => ({ reveal: () => v }) as never;

describe('provider config', () => {
  it('defaults the endpoint to the production API', () => {
    expect(readConfig('p', { type: 'intacct', companyId: 'acme' })).toEqual({
      endpoint: 'https://api.intacct.com',
      companyId: 'acme',
    });
    expect(
      readConfig('p', { companyId: 'acme', endpoint: 'https://api.intacct.com/', entityId: 'E1' }),
    ).toEqual({
      endpoint: 'https://api.intacct.com',
      companyId: 'acme',
      entityId: 'E1',
    });
  });

  it('accepts sandbox, https and loopback http only', () => {
    expect(isLoopback('http://127.0.0.1:8080')).toBe(true);
    expect(isLoopback('http://localhost:1/')).toBe(true);
    expect(isLoopback('http://10.0.0.1:80')).toBe(false);
    expect(() => readConfig('p', { companyId: 'a', endpoint: 'http://intacct.example' })).toThrow(
      /must be sandbox/,
    );
    expect(() => readConfig('p', {})).toThrow('provider p: companyId is required');
  });

  it('uses placeholder credentials only for a sandbox that declares none', () => {
    const sandbox = readConfig('p', { companyId: 'a', endpoint: 'sandbox' });
    expect(clientCredentials('p', sandbox, {})).toBe(SANDBOX_PLACEHOLDER_CREDENTIALS);
    const declared = clientCredentials('p', sandbox, {
      clientId: secret('c'),
      clientSecret: secret('s'),
      userId: secret('WS_R'),
    });
    expect(declared.userId).toBe('WS_R');
    expect(typeof declared.clientSecret).toBe('object'); // kept as a secret until sent
    expect(() => clientCredentials('p', readConfig('p', { companyId: 'a' }), {})).toThrow(
      /needs credentials/,
    );
  });

  it('refuses declared credentials whose place holds no value yet, naming it', () => {
    const cfg = readConfig('p', { companyId: 'a' });
    const creds = {
      clientId: new Secret('c', 'env:ID'),
      clientSecret: new Secret('s', 'env:SECRET'),
      userId: Secret.pending('file:user.txt'),
    };
    expect(() => clientCredentials('p', cfg, creds)).toThrow(
      new UserError('provider p: credentials userId (file:user.txt) holds no value yet'),
    );
  });
});

describe('sandbox fault switches from the environment', () => {
  it('reads ROSTER_SANDBOX_* and refuses bad values', () => {
    expect(
      faultsFromEnv({
        ROSTER_SANDBOX_LATENCY_MS: '25',
        ROSTER_SANDBOX_ERROR_RATE: '0.1',
        ROSTER_SANDBOX_THROTTLE_RATE: '0',
        ROSTER_SANDBOX_DROP_RATE: '',
      }),
    ).toEqual({ latencyMs: 25, errorRate: 0.1, throttleRate: 0 });
    expect(faultsFromEnv({})).toEqual({});
    expect(() => faultsFromEnv({ ROSTER_SANDBOX_ERROR_RATE: '1.5' })).toThrow(
      'ROSTER_SANDBOX_ERROR_RATE must be a share between 0 and 1 (got "1.5")',
    );
    expect(() => faultsFromEnv({ ROSTER_SANDBOX_LATENCY_MS: 'soon' })).toThrow(/milliseconds/);
  });
});
