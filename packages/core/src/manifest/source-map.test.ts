import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { SourceMap } from './source-map.js';

function mapOf(text: string): SourceMap {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return new SourceMap('m.yaml', lines, doc.contents?.range[0] ?? 0).index(doc);
}

const text = [
  'apiVersion: roster/v1', //                     1
  'metadata: { name: a, labels: { a/b: x } }', // 2
  'spec:', //                                     3
  '  base: &base { id: 1 }', //                   4
  '  copy: *base', //                             5
  '  roles:', //                                  6
  '    - ref: r1', //                             7
  '    - { ref: r2 }', //                         8
  '  email:', //                                  9
  '',
].join('\n');

describe('SourceMap', () => {
  const map = mapOf(text);
  const at = (line: number, column: number) => ({ file: 'm.yaml', line, column });

  it('places values of block and flow collections', () => {
    expect(map.positionOf('/apiVersion')).toEqual(at(1, 13));
    expect(map.positionOf('/metadata/name')).toEqual(at(2, 19));
    expect(map.positionOf('/spec/roles/0/ref')).toEqual(at(7, 12));
    expect(map.positionOf('/spec/roles/1')).toEqual(at(8, 7));
    expect(map.positionOf('/spec/roles/1/ref')).toEqual(at(8, 14));
  });

  it('places keys, and unescapes pointer segments', () => {
    expect(map.keyPositionOf('/spec/roles')).toEqual(at(6, 3));
    expect(map.keyPositionOf('/metadata/labels/a~1b')).toEqual(at(2, 32));
    expect(map.keyPositionOf('')).toEqual(at(1, 1));
    // A sequence item has no key: its value is shown.
    expect(map.keyPositionOf('/spec/roles/1')).toEqual(at(8, 7));
  });

  it('follows aliases to their anchor, and shows an empty value at its key', () => {
    expect(map.positionOf('/spec/copy/id')).toEqual(at(4, 21));
    expect(map.positionOf('/spec/email')).toEqual(at(9, 3));
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(map.positionOf('/spec/roles/7/ref')).toEqual(at(7, 5));
    expect(map.positionOf('/spec/nope/deeper')).toEqual(at(4, 3));
    expect(map.positionOf('/apiVersion/x')).toEqual(at(1, 13));
  });
});
