import { describe, expect, it } from 'vitest';
import { Secret } from '../secret.js';
import { declaredCredentials } from './declared-credentials.js';

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
