import { describe, expect, it } from 'vitest';
import { positionInScalar } from './expression-position.js';

const at = (text: string, line: number, column: number, index: number) =>
  positionInScalar(text, { file: 'p.yaml', line, column }, index);

describe('positionInScalar', () => {
  it('counts into plain, double- and single-quoted scalars', () => {
    expect(at('  expression: account.foo == 1\n', 1, 15, 8)).toEqual({ file: 'p.yaml', line: 1, column: 23 });
    expect(at('x: "a \\"b\\" c"\n', 1, 4, 6)).toEqual({ file: 'p.yaml', line: 1, column: 13 });
    expect(at("x: 'it''s x'\n", 1, 4, 5)).toEqual({ file: 'p.yaml', line: 1, column: 11 });
  });

  it('follows the lines of a block scalar, and of a plain one folded over lines', () => {
    const block = 'rules:\n  r:\n    expression: |\n      a &&\n        b\n';
    // "a &&\n  b": index 7 is b, on line 5 past the block's own indentation.
    expect(at(block, 3, 17, 7)).toEqual({ file: 'p.yaml', line: 5, column: 9 });
    const plain = 'x: a &&\n   b\n';
    expect(at(plain, 1, 4, 5)).toEqual({ file: 'p.yaml', line: 2, column: 4 });
  });
});
