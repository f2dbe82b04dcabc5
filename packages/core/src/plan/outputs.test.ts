import { describe, expect, it } from 'vitest';
import { Secret } from '../secret.js';
import { UNKNOWN_OUTPUT, withOutputs } from './outputs.js';

const outputs: Record<string, string> = { 'p/App/a\u0000clientId': 'c-1' };
const outputOf = (address: string, output: string) => outputs[`${address}\u0000${output}`];

describe('withOutputs', () => {
  it('replaces each {ref, output} by the value its target produced, anywhere in the value', () => {
    expect(withOutputs({ ids: [{ ref: 'p/App/a', output: 'clientId' }], plain: 1 }, outputOf)).toEqual({
      ids: ['c-1'],
      plain: 1,
    });
  });

  it('unknown as a whole when any output is not produced yet', () => {
    expect(withOutputs([{ ref: 'p/App/b', output: 'clientId' }, 'x'], outputOf)).toBe(UNKNOWN_OUTPUT);
    expect(withOutputs({ a: { ref: 'p/App/a', output: 'secret' } }, outputOf)).toBe(UNKNOWN_OUTPUT);
  });

  it('leaves plain references and secrets as they are', () => {
    const secret = new Secret('s', 'env:S');
    expect(withOutputs({ ref: 'r1' }, outputOf)).toEqual({ ref: 'r1' });
    expect(withOutputs(secret, outputOf)).toBe(secret);
  });
});
