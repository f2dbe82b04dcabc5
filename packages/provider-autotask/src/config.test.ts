import { isLoopback, Secret } from '@roster/core';
import { faultsFromEnv } from '@roster/sim-kit';
import { describe, expect, it } from 'vitest';
import {
  clientCredentials,
  readConfig,
  restRoot,
  SANDBOX_PLACEHOLDER_CREDENTIALS,
  simulatorCredentials,
} from './config.js';
import { thresholdFromEnv } from './sandbox/threshold-env.js';

const secret = (v: string) => ({ reveal: () => v }) as never;

describe('provider config', () => {
  it('defaults to the zone lookup and a full budget', () => {
    expect(readConfig('p', { type: 'autotask' })).toEqual({ endpoint: 'auto', apiBudget: 0.5 });
    expect(readConfig('p', { endpoint: 'sandbox', apiBudget: 0.5 })).toEqual({
      endpoint: 'sandbox',
      apiBudget: 0.5,
    });
  });

  it('reduces a zone URL as people write it to the REST root', () => {
    for (const u of [
      'https://webservices2.autotask.net',
      'https://webservices2.autotask.net/',
      'https://webservices2.autotask.net/ATServicesRest/',
      'https://webservices2.autotask.net/atservicesrest/v1.0/',
    ]) {
      expect(restRoot(u)).toMatch(/^https:\/\/webservices2\.autotask\.net\/(ATServicesRest|atservicesrest)$/);
    }
    expect(readConfig('p', { endpoint: 'http://127.0.0.1:4010' }).endpoint).toBe(
      'http://127.0.0.1:4010/ATServicesRest',
    );
  });

  it('accepts auto, sandbox, https and loopback http only; apiBudget in (0, 1]', () => {
    expect(isLoopback('http://localhost:1/ATServicesRest')).toBe(true);
    expect(isLoopback('http://10.0.0.1:80')).toBe(false);
    expect(() => readConfig('p', { endpoint: 'http://autotask.example' })).toThrow(
      'provider p: endpoint http://autotask.example must be auto, sandbox, an https:// URL of the zone, or a loopback http:// URL of a served sandbox',
    );
    expect(() => readConfig('p', { apiBudget: 0 })).toThrow(/apiBudget/);
    expect(() => readConfig('p', { apiBudget: 1.5 })).toThrow(/apiBudget/);
  });

  it('uses placeholder credentials only for a sandbox that declares none, and keeps declared ones secret', () => {
    const sandbox = readConfig('p', { endpoint: 'sandbox' });
    expect(clientCredentials('p', sandbox, {})).toBe(SANDBOX_PLACEHOLDER_CREDENTIALS);
    expect(simulatorCredentials('p', {})).toBeUndefined();
    const declared = { username: secret('u@x.io'), secret: secret('s'), integrationCode: secret('C') };
    const c = clientCredentials('p', sandbox, declared);
    expect(typeof c.secret).toBe('object'); // revealed only when a request is sent
    expect(simulatorCredentials('p', declared)).toEqual({
      username: 'u@x.io',
      secret: 's',
      integrationCode: 'C',
    });
    expect(() => clientCredentials('p', readConfig('p', {}), {})).toThrow(
      /needs credentials \(username, secret, integrationCode\)/,
    );
    expect(() => clientCredentials('p', sandbox, { secret: secret('s') })).toThrow(
      'provider p: credentials need username, integrationCode as well',
    );
    const pending = { ...declared, secret: Secret.pending('file:/tmp/roster.secret') };
    expect(() => clientCredentials('p', sandbox, pending)).toThrow(
      'provider p: credentials secret (file:/tmp/roster.secret) holds no value yet',
    );
  });
});

describe('sandbox switches from the environment', () => {
  it('reads ROSTER_SANDBOX_* and the Autotask threshold, refusing bad values', () => {
    expect(faultsFromEnv({ ROSTER_SANDBOX_LATENCY_MS: '25', ROSTER_SANDBOX_THROTTLE_RATE: '0.5' })).toEqual({
      latencyMs: 25,
      throttleRate: 0.5,
    });
    expect(() => faultsFromEnv({ ROSTER_SANDBOX_ERROR_RATE: '2' })).toThrow(/between 0 and 1/);
    expect(thresholdFromEnv({ ROSTER_AUTOTASK_SANDBOX_THRESHOLD: '50' })).toBe(50);
    expect(thresholdFromEnv({})).toBeUndefined();
    expect(() => thresholdFromEnv({ ROSTER_AUTOTASK_SANDBOX_THRESHOLD: 'lots' })).toThrow(/whole number/);
  });

  it('takes apiBudgetWaitSeconds as whole seconds from 0 to 900', () => {
    expect(readConfig('p', { apiBudgetWaitSeconds: 0 })).toMatchObject({ apiBudgetWaitSeconds: 0 });
    expect(() => readConfig('p', { apiBudgetWaitSeconds: 901 })).toThrow(/apiBudgetWaitSeconds/);
    expect(() => readConfig('p', { apiBudgetWaitSeconds: 1.5 })).toThrow(/apiBudgetWaitSeconds/);
  });
});
