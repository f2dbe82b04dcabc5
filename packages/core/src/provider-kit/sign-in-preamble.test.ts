import { describe, expect, it } from 'vitest';
import type { TestRequest } from '../provider.js';
import { Secret } from '../secret.js';
import { signInPreamble } from './sign-in-preamble.js';

const request = (kind: string, credentials: Record<string, Secret> = {}): TestRequest => ({
  kind,
  address: `p/${kind}/a`,
  id: '1',
  naturalKey: 'a',
  attributes: {},
  credentials,
});
const pre = { kind: 'ServiceAccount', accounts: 'API users', credential: 'secret' };

describe('signInPreamble', () => {
  it('refuses kinds that cannot sign in', () => {
    expect(signInPreamble(request('Group'), pre)).toEqual({
      refused: {
        authenticated: false,
        message: 'a Group cannot sign in; only API users (ServiceAccount) can',
      },
    });
  });

  it('refuses an account whose manifest names no credential', () => {
    expect(signInPreamble(request('ServiceAccount'), pre)).toEqual({
      refused: {
        authenticated: false,
        message: 'no credentials: the manifest names no credentials.secret to sign in with',
      },
    });
  });

  it('refuses a credential whose place holds nothing yet', () => {
    const r = signInPreamble(request('ServiceAccount', { secret: Secret.pending('file:s.txt') }), pre);
    expect(r).toEqual({ refused: { authenticated: false, message: 'no credentials stored at file:s.txt' } });
  });

  it('gives the credential to sign in with', () => {
    const secret = new Secret('s3cret', 'env:S');
    expect(signInPreamble(request('ServiceAccount', { secret }), pre)).toEqual({ credential: secret });
  });

  it('asks for no credential when the provider signs in without one', () => {
    expect(signInPreamble(request('ServiceAccount'), { kind: 'ServiceAccount', accounts: 'users' })).toEqual({
      credential: undefined,
    });
  });
});
