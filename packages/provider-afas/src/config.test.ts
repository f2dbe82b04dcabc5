import { Secret, UserError } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { clientToken, readConfig, restBase, SANDBOX_PLACEHOLDER_TOKEN, simulatorToken } from './config.js';

const cfg = (spec: Record<string, unknown>) => readConfig('afas-prod', { type: 'afas', ...spec });
const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('provider config', () => {
  it('derives the URL from the environment number and type', () => {
    expect(cfg({ environmentId: '12345' }).endpoint).toBe(
      'https://12345.rest.afas.online/ProfitRestServices',
    );
    expect(cfg({ environmentId: '12345', environmentType: 'test' }).endpoint).toBe(
      'https://12345.resttest.afas.online/ProfitRestServices',
    );
    expect(cfg({ environmentId: '12345', environmentType: 'accept' }).endpoint).toBe(
      'https://12345.restaccept.afas.online/ProfitRestServices',
    );
  });

  it('takes an https or loopback endpoint, adding /ProfitRestServices to a bare origin', () => {
    expect(cfg({ endpoint: 'https://12345.rest.afas.online/profitrestservices/' }).endpoint).toBe(
      'https://12345.rest.afas.online/profitrestservices',
    );
    expect(cfg({ endpoint: 'http://127.0.0.1:8123' }).endpoint).toBe(
      'http://127.0.0.1:8123/ProfitRestServices',
    );
    expect(cfg({ endpoint: 'sandbox' }).endpoint).toBe('sandbox');
    expect(restBase('https://proxy.example/afas')).toBe('https://proxy.example/afas');
  });

  it('refuses plain http to another host, both endpoint and environmentId, or neither', () => {
    expect(error(() => cfg({ endpoint: 'http://afas.example.com' })).message).toMatch(
      /must be sandbox, an https:\/\/ URL/,
    );
    expect(error(() => cfg({ endpoint: 'https://x.example', environmentId: '12345' })).message).toMatch(
      /not both/,
    );
    expect(error(() => cfg({})).message).toMatch(/give endpoint .* or environmentId/);
    expect(error(() => cfg({})) instanceof UserError).toBe(true);
  });

  it('applies the defaults for GetConnectors and the all-users group', () => {
    expect(cfg({ endpoint: 'sandbox' })).toEqual({
      endpoint: 'sandbox',
      getConnectors: { users: 'Profit_Users', userGroups: 'Profit_UserGroups' },
      allUsersGroup: 'Everybody',
    });
    expect(
      cfg({
        endpoint: 'sandbox',
        getConnectors: { users: 'T4E_Users' },
        allUsersGroup: 'Iedereen',
        integrationId: '1_2',
      }),
    ).toMatchObject({
      getConnectors: { users: 'T4E_Users', userGroups: 'Profit_UserGroups' },
      allUsersGroup: 'Iedereen',
      integrationId: '1_2',
    });
  });

  it('needs a token except on a sandbox, and names its origin, never its value, when it is malformed', () => {
    const sandbox = cfg({ endpoint: 'sandbox' });
    expect(clientToken('p', sandbox, {})).toBe(SANDBOX_PLACEHOLDER_TOKEN);
    expect(simulatorToken('p', {})).toBeUndefined();
    const real = cfg({ environmentId: '12345' });
    expect(error(() => clientToken('p', real, {})).message).toMatch(/needs credentials.token/);
    const bad = new Secret('not a token at all', 'env:AFAS_TOKEN');
    const msg = error(() => clientToken('p', real, { token: bad })).message;
    expect(msg).toMatch(/credentials.token \(env:AFAS_TOKEN\)/);
    expect(msg).not.toContain('not a token at all');
    const good = new Secret('ABCDEF', 'file:/x/token.xml');
    expect(clientToken('p', real, { token: good })).toBe(good);
    expect(simulatorToken('p', { token: good })).toBe(
      '<token><version>1</version><data>ABCDEF</data></token>',
    );
  });
});
