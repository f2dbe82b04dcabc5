import { describe, expect, it } from 'vitest';
import { Secret } from '../secret.js';
import { rejection, Seen } from './seen.js';

describe('what the contract suite saw', () => {
  it('finds a secret in a log line or a returned object', () => {
    const seen = new Seen(['s3cr3t-value', '']);
    seen.log.debug('signed in');
    seen.object({ id: '1', attributes: { name: 'x' } });
    expect(seen.leaks()).toEqual([]);
    seen.log.warn('token s3cr3t-value refused');
    expect(seen.leaks()).toEqual(['s3…']);
  });

  it('adds the secrets an operator step hands over, as Secrets only', () => {
    const seen = new Seen(['x']);
    seen.operated({ secrets: { token: new Secret('issued-once', 'env:T') } });
    expect(seen.secrets).toEqual(['x', 'issued-once']);
    expect(() => seen.operated({ secrets: { token: 'plain' as never } })).toThrow();
  });

  it('accepts one clean line, and fails a stack, a second line or a secret', async () => {
    const seen = new Seen(['hunter2']);
    expect(seen.error(new Error('Intacct refused to create role R (403 forbidden)')).message).toMatch(/403/);
    expect(() => seen.error(new Error('failed\n    at fn (/x/y.js:1:2)'))).toThrow();
    expect(() => seen.error(new Error('failed at fn (/x/y.js:1:2)'))).toThrow();
    expect(() => seen.error(new Error('bad password hunter2'))).toThrow();
    expect(() => seen.error('a string')).toThrow();
    expect(await rejection(Promise.resolve(1))).toBeUndefined();
    expect(await rejection(Promise.reject(new Error('no')))).toBeInstanceOf(Error);
  });
});
