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
  /** Pointer → slot in `#offsets`; shared by the documents of a file that have the same pointers. */
  #shape: ReadonlyMap<string, number> = EMPTY_SHAPE;
  /**
   * Per slot, the offset of the value at the pointer (of its key when the value is empty, as in
   * `email:`), then the offset of the key of the mapping entry (-1: none, as for a sequence item).
   */
  #offsets: Int32Array = new Int32Array(0);
  readonly #start: number;

  /** `start` is the offset where the document's content begins. */
  constructor(file: string, lines: LineCounter, start: number) {
    this.file = file;
    this.#lines = lines;
    this.#start = start;
  }

  /**
   * Record the position of every node of `doc` (as parsed by `yaml`). Aliases are followed: a pointer through `*base`
   * is placed in the anchored node, which is where the value is written. Iterative, as documents
   * may be deep; the caller has already bounded nesting and alias expansion.
   *
   * `shapes` (one per file) lets documents with the same pointers share one pointer table, so each
   * keeps only its offsets: 100,000 loaded documents would otherwise hold millions of pointer
   * strings and map entries for positions that are rarely asked for.
   */
  index(doc: Document.Parsed, shapes?: SourceMapShapes): this {
    const root = doc.contents as Node | null;
    const pointers: string[] = [''];
    const values: number[] = [this.#start];
    const keys: number[] = [-1];
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
          pointers.push(child);
          keys.push(keyOffset);
          values.push(value && !isEmpty(value) && value.range ? value.range[0] : keyOffset);
          stack.push([value, child]);
        }
      } else if (isSeq(node)) {
        for (const [i, item] of node.items.entries()) {
          const child = childPointer(pointer, i);
          const n = item as Node | null;
          pointers.push(child);
          keys.push(-1);
          // An item without a range (none in a parsed document) is placed at its sequence.
          values.push(n?.range?.[0] ?? values[lastIndexOf(pointers, pointer)] ?? this.#start);
          stack.push([n, child]);
        }
      }
    }
    return this.record(pointers, values, keys, shapes);
  }

  /**
   * Record positions already worked out (by `simple-yaml.ts`): per pointer, the offset of its value
   * (of its key when the value is empty) and of its mapping key (-1: none). The root comes first.
   */
  record(
    pointers: readonly string[],
    values: readonly number[],
    keys: readonly number[],
    shapes?: SourceMapShapes,
  ): this {
    this.#shape = (shapes ?? new SourceMapShapes()).shapeOf(pointers);
    const offsets = new Int32Array(pointers.length * 2);
    for (let i = 0; i < pointers.length; i++) {
      offsets[2 * i] = values[i]!;
      offsets[2 * i + 1] = keys[i]!;
    }
    this.#offsets = offsets;
    return this;
  }

  /** Offset of the value at `pointer`, when recorded. */
  #valueOffset(pointer: string): number | undefined {
    if (pointer === '') return this.#start;
    const slot = this.#shape.get(pointer);
    return slot === undefined ? undefined : this.#offsets[2 * slot];
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
      const offset = this.#valueOffset(p);
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
    const slot = pointer === '' ? undefined : this.#shape.get(pointer);
    const offset = slot === undefined ? -1 : this.#offsets[2 * slot + 1]!;
    return offset < 0 ? this.positionOf(pointer) : this.at(offset);
  }
}

function isEmpty(node: Node): boolean {
  return isScalar(node) && node.value === null && (node.range ? node.range[0] === node.range[1] : true);
}

const EMPTY_SHAPE: ReadonlyMap<string, number> = new Map();

/** The last index of `value` in `list`: the slot a pointer recorded twice keeps. */
function lastIndexOf(list: readonly string[], value: string): number {
  for (let i = list.length - 1; i >= 0; i--) if (list[i] === value) return i;
  return -1;
}

/**
 * Pointer tables shared by the source maps of one file: documents of the same shape (every user of
 * a file of users) map the same pointers to the same slots. A pointer recorded twice (keys `1` and
 * `"1"` of one mapping) keeps its last slot, as a map keyed by pointer would.
 */
export class SourceMapShapes {
  readonly #byPointers = new Map<string, ReadonlyMap<string, number>>();

  shapeOf(pointers: readonly string[]): ReadonlyMap<string, number> {
    // NUL cannot appear in a manifest file, but an escaped `"\0"` key can put one in a pointer:
    // such a document gets a table of its own rather than risk sharing a wrong one.
    const shareable = pointers.every((p) => !p.includes('\u0000'));
    const key = shareable ? pointers.join('\u0000') : undefined;
    const known = key === undefined ? undefined : this.#byPointers.get(key);
    if (known) return known;
    const shape = new Map<string, number>();
    for (const [i, p] of pointers.entries()) shape.set(p, i);
    if (key !== undefined) this.#byPointers.set(key, shape);
    return shape;
  }
}
