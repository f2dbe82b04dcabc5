import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { childPointer } from './pointer.js';
import { unshieldString } from './shield.js';
import type { SourcePosition } from './types.js';

/**
 * Where each JSON pointer of a parsed document sits in its file, so every message can name
 * `file:line:column`. Built once from the yaml AST (whose nodes keep their character ranges); only
 * offsets are kept, not the AST, so 100,000 loaded documents do not hold 100,000 syntax trees. The
 * file's LineCounter turns offsets into 1-based lines and columns when a position is asked for.
 */
export class SourceMap {
  readonly file: string;
  readonly #lines: LineCounter;
  /** Offset of the value at each pointer (of its key when the value is empty, as in `email:`). */
  readonly #values = new Map<string, number>();
  /** Offset of the key of each mapping entry. */
  readonly #keys = new Map<string, number>();
  readonly #start: number;

  /** `start` is the offset where the document's content begins. */
  constructor(file: string, lines: LineCounter, start: number) {
    this.file = file;
    this.#lines = lines;
    this.#start = start;
  }

  /**
   * Record the position of every node of `doc`. Aliases are followed: a pointer through `*base`
   * is placed in the anchored node, which is where the value is written. Iterative, as documents
   * may be deep; the caller has already bounded nesting and alias expansion.
   */
  index(doc: Document.Parsed): this {
    const root = doc.contents as Node | null;
    this.#values.set('', this.#start);
    const stack: Array<[Node | null, string]> = [[root, '']];
    // A safety net only: nesting and alias expansion are bounded before this runs.
    let budget = 1_000_000;
    while (stack.length > 0 && budget-- > 0) {
      const [at, pointer] = stack.pop()!;
      const node = at && isAlias(at) ? ((at.resolve(doc) as Node | undefined) ?? null) : at;
      if (!node) continue;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key)) continue;
          const key = pair.key as Node;
          const child = childPointer(pointer, unshieldString(String((pair.key as { value: unknown }).value)));
          const keyOffset = key.range?.[0] ?? this.#start;
          const value = (pair.value as Node | null) ?? null;
          this.#keys.set(child, keyOffset);
          this.#values.set(child, value && !isEmpty(value) && value.range ? value.range[0] : keyOffset);
          stack.push([value, child]);
        }
      } else if (isSeq(node)) {
        for (const [i, item] of node.items.entries()) {
          const child = childPointer(pointer, i);
          const n = item as Node | null;
          this.#values.set(child, n?.range?.[0] ?? this.#values.get(pointer) ?? this.#start);
          stack.push([n, child]);
        }
      }
    }
    return this;
  }

  /** Position of a character offset of the file. */
  at(offset: number): SourcePosition {
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** Where the document's content starts (after `---` and leading comments). */
  start(): SourcePosition {
    return this.at(this.#start);
  }

  /**
   * Position of the value at `pointer` (e.g. `/spec/id`), or of its nearest existing ancestor when the
   * pointer leads nowhere (a missing field is best shown where it should have been).
   */
  positionOf(pointer: string): SourcePosition {
    let p = pointer;
    for (;;) {
      const offset = this.#values.get(p);
      if (offset !== undefined) return this.at(offset);
      if (p === '') return this.at(this.#start);
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  /**
   * Position of the key of the mapping entry at `pointer` (an unknown field is shown at its name),
   * or of the value when it has no key (a sequence item, the document root).
   */
  keyPositionOf(pointer: string): SourcePosition {
    const offset = this.#keys.get(pointer);
    return offset === undefined ? this.positionOf(pointer) : this.at(offset);
  }
}

function isEmpty(node: Node): boolean {
  return isScalar(node) && node.value === null && (node.range ? node.range[0] === node.range[1] : true);
}
