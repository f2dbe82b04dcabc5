import { describe, expect, it } from 'vitest';
import { UserError } from '../diagnostics.js';
import { Secret } from '../secret.js';
import { credentialsOrPlaceholder, declaredCredentials, declaredValues } from './declared-credentials.js';

const KEYS = ['clientId', 'clientSecret'] as const;

describe('declaredCredentials', () => {
  it('is undefined when none of the keys is declared', () => {
    expect(declaredCredentials('p', { other: new Secret('x', 'env:X') }, KEYS)).toBeUndefined();
  });

  it('gives every key when all are declared', () => {
    const id = new Secret('i', 'env:ID');
    const secret = new Secret('s', 'env:SECRET');
    expect(declaredCredentials('p', { clientId: id, clientSecret: secret }, KEYS)).toEqual({
      clientId: id,
      clientSecret: secret,
    });
  });

  it('names the keys missing when only some are declared', () => {
    expect(() => declaredCredentials('p', { clientId: new Secret('i', 'env:ID') }, KEYS)).toThrow(
      'provider p: credentials need clientSecret as well',
    );
  });

  it('names the places that hold no value yet, without a value', () => {
    const creds = { clientId: Secret.pending('file:id.txt'), clientSecret: Secret.pending('file:s.txt') };
    expect(() => declaredCredentials('p', creds, KEYS)).toThrow(
      'provider p: credentials clientId (file:id.txt), clientSecret (file:s.txt) hold no value yet',
    );
  });
});

describe('credentialsOrPlaceholder', () => {
  const ask = (endpoint: string, declared?: string) =>
    credentialsOrPlaceholder({
      name: 'p',
      endpoint,
      declared,
      placeholder: 'any',
      needs: 'credentials.token',
    });

  it('signs in with what is declared, sandbox or not', () => {
    expect(ask('https://api.example.com', 'mine')).toBe('mine');
    expect(ask('sandbox', 'mine')).toBe('mine');
  });

  it('uses the placeholder only for a sandbox (embedded or served on loopback)', () => {
    expect(ask('sandbox')).toBe('any');
    expect(ask('http://127.0.0.1:4010')).toBe('any');
  });

  it('tells what to declare for a real system', () => {
    expect(() => ask('https://api.example.com')).toThrow(
      new UserError('provider p: endpoint https://api.example.com needs credentials.token'),
    );
  });
});

describe('declaredValues', () => {
  it('reveals every declared credential, or is undefined when none is declared', () => {
    const creds = { clientId: new Secret('i', 'env:ID'), clientSecret: new Secret('s', 'env:SECRET') };
    expect(declaredValues('p', creds, KEYS)).toEqual({ clientId: 'i', clientSecret: 's' });
    expect(declaredValues('p', {}, KEYS)).toBeUndefined();
    expect(() => declaredValues('p', { clientId: creds.clientId }, KEYS)).toThrow(/need clientSecret/);
  });
});
