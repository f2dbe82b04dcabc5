import { childPointer } from './pointer.js';
import { unshieldString } from './shield.js';

/**
 * A fast reader for the plain YAML that manifests are written in, used before the `yaml` library.
 *
 * Why: `yaml` builds a full syntax tree with comments and ranges and reads about 1.7 MB/s here; a
 * 10,000-account project spent 2.4 s of a 4.7 s plan in it. This reader handles only a strict
 * subset (block mappings and sequences, single-line plain and quoted scalars, single-line flow
 * collections, comments, `---` separators) in one pass over the text, at about ten times the speed.
 *
 * It is an accelerator, not a second parser of record: on anything outside the subset (anchors,
 * aliases, tags, block scalars, multi-line scalars or flow collections, directives, tabs, CR, keys
 * that are not strings, duplicate keys, any syntax error) it gives up on the whole file and
 * `yaml` reads it, so every error message and every rare construct still comes from `yaml`. Where
 * it does answer, it returns what `yaml` (YAML 1.2 core schema) would: the same values, document
 * indexes and source offsets; `simple-yaml.test.ts` checks that against `yaml` on every manifest of
 * the repository and on generated documents.
 */
export interface SimpleDocument {
  /** 0-based index of the document in its file, counting empty documents (as `yaml` does). */
  index: number;
  /** The document's value, with `${env:…}` references unshielded (empty documents are not returned). */
  value: unknown;
  /** Offset where the content starts (its first key, `-` or bracket). */
  start: number;
  /** JSON pointers of every node, the root (`''`) first. */
  pointers: string[];
  /** Per pointer, the offset of its value (of its key when the value is empty). */
  values: number[];
  /** Per pointer, the offset of its mapping key, or -1 (sequence items, the root). */
  keys: number[];
}

/**
 * The documents of `text` (already shielded, see `shield.ts`), or `undefined` when the text is
 * outside the subset and must be read by `yaml`. Collections nested deeper than `maxDepth` are
 * left to `yaml` too, which reports them.
 */
export function parseSimpleYaml(text: string, maxDepth: number): SimpleDocument[] | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return new SimpleReader(text, maxDepth).documents();
  } catch (err) {
    // The reader unwinds its recursion with OUTSIDE when it meets something it does not handle.
    if (err === OUTSIDE) return undefined;
    throw err;
  }
}

/**
 * Tabs (indentation rules), CR (line ends), control characters, the BOM and the Unicode line
 * separators all have rules the subset does not carry: such files go to `yaml`.
 */
const UNSUPPORTED_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
const OUTSIDE: unique symbol = Symbol('outside the simple YAML subset');

/** A line with content (blank and comment-only lines are dropped). */
interface Line {
  /** Column of the first non-space character (0-based). */
  indent: number;
  /** Offset of the first non-space character. */
  start: number;
  /** Offset of the line's end (its `\n`, or the end of the text). */
  end: number;
}

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const BACKSLASH = 0x5c;

/** Characters that cannot start a plain scalar (`-`, `?`, `:` can, when followed by a non-space). */
const INDICATOR = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
const FLOW_INDICATOR = new Set([...',[]{}'].map((c) => c.charCodeAt(0)));

class SimpleReader {
  readonly #text: string;
  readonly #maxDepth: number;
  #lines: Line[] = [];
  #at = 0;
  #pointers: string[] = [];
  #values: number[] = [];
  #keys: number[] = [];

  constructor(text: string, maxDepth: number) {
    this.#text = text;
    this.#maxDepth = maxDepth;
  }

  documents(): SimpleDocument[] {
    const text = this.#text;
    const out: SimpleDocument[] = [];
    // Content before the first `---` is a document only when it has content; each `---` starts one.
    let lines: Line[] = [];
    let index = 0;
    let marked = false;
    const finish = () => {
      if (lines.length > 0) out.push(this.#document(lines, index));
      if (lines.length > 0 || marked) index++;
    };
    for (let start = 0; start <= text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const first = text.charCodeAt(start);
      if (
        start < end &&
        (first === DASH || first === 0x2e) &&
        text.startsWith(first === DASH ? '---' : '...', start)
      ) {
        // `---` alone (or with a comment) separates documents; `...`, and `---` followed by content,
        // are left to yaml.
        const rest = text.slice(start + 3, end);
        if (first !== DASH || !(rest === '' || /^ +(?:#.*)?$/.test(rest))) throw OUTSIDE;
        finish();
        lines = [];
        marked = true;
      } else if (first === 0x25 /* % */) {
        throw OUTSIDE;
      } else {
        let s = start;
        while (s < end && text.charCodeAt(s) === SPACE) s++;
        if (s < end && text.charCodeAt(s) !== HASH) lines.push({ indent: s - start, start: s, end });
      }
      if (end === text.length) break;
      start = end + 1;
    }
    finish();
    return out;
  }

  #document(lines: Line[], index: number): SimpleDocument {
    this.#lines = lines;
    this.#at = 0;
    this.#pointers = [''];
    this.#values = [lines[0]!.start];
    this.#keys = [-1];
    const first = lines[0]!;
    const c = this.#text.charCodeAt(first.start);
    let value: unknown;
    if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      const end = this.#flow(first.start, first.end, '', 1);
      value = end.value;
      this.#endOfLine(end.end, first.end);
      this.#at++;
    } else if (this.#isSequenceItem(first)) {
      value = this.#sequence(first.indent, '', 1);
    } else if (this.#looksLikeEntry(first.start, first.end)) {
      value = this.#mapping(first.indent, first.start, '', 1);
    } else {
      throw OUTSIDE;
    }
    if (this.#at !== lines.length) throw OUTSIDE;
    return {
      index,
      value,
      start: first.start,
      pointers: this.#pointers,
      values: this.#values,
      keys: this.#keys,
    };
  }

  #record(pointer: string, value: number, key: number): void {
    this.#pointers.push(pointer);
    this.#values.push(value);
    this.#keys.push(key);
  }

  /** A block mapping whose keys sit at column `indent`; the first key is at `firstKey` on the current line. */
  #mapping(indent: number, firstKey: number, pointer: string, depth: number): Record<string, unknown> {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const text = this.#text;
    const out: Record<string, unknown> = {};
    let keyStart = firstKey;
    for (;;) {
      const line = this.#lines[this.#at]!;
      const { key, after } = this.#key(keyStart, line.end, false);
      if (Object.hasOwn(out, key)) throw OUTSIDE;
      const child = childPointer(pointer, key);
      let pos = after;
      while (pos < line.end && text.charCodeAt(pos) === SPACE) pos++;
      let value: unknown;
      if (pos === line.end || text.charCodeAt(pos) === HASH) {
        // `key:` with the value on the next lines, or empty.
        this.#at++;
        const next = this.#lines[this.#at];
        if (next && next.indent > indent) {
          this.#record(child, next.start, keyStart);
          value = this.#block(next, child, depth + 1);
        } else if (next && next.indent === indent && this.#isSequenceItem(next)) {
          this.#record(child, next.start, keyStart);
          value = this.#sequence(indent, child, depth + 1);
        } else {
          this.#record(child, keyStart, keyStart);
          value = null;
        }
      } else {
        this.#record(child, pos, keyStart);
        value = this.#inline(pos, line.end, child, depth + 1);
        this.#at++;
        const next = this.#lines[this.#at];
        // A more indented line would continue the scalar or be an error: yaml decides.
        if (next && next.indent > indent) throw OUTSIDE;
      }
      out[key] = value;
      const next = this.#lines[this.#at];
      if (!next || next.indent < indent) return out;
      if (next.indent > indent || this.#isSequenceItem(next)) throw OUTSIDE;
      keyStart = next.start;
    }
  }

  /** A block sequence whose `-` sit at column `indent`, starting at the current line. */
  #sequence(indent: number, pointer: string, depth: number): unknown[] {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const text = this.#text;
    const out: unknown[] = [];
    for (;;) {
      const line = this.#lines[this.#at]!;
      const child = childPointer(pointer, out.length);
      let pos = line.start + 1;
      while (pos < line.end && text.charCodeAt(pos) === SPACE) pos++;
      if (pos === line.end || text.charCodeAt(pos) === HASH) {
        // `-` with the item on the next lines; an empty item is left to yaml.
        this.#at++;
        const next = this.#lines[this.#at];
        if (!next || next.indent <= indent) throw OUTSIDE;
        this.#record(child, next.start, -1);
        out.push(this.#block(next, child, depth + 1));
      } else if (this.#looksLikeEntry(pos, line.end)) {
        // `- key: value`: a mapping whose keys line up with this first one.
        this.#record(child, pos, -1);
        out.push(this.#mapping(pos - line.start + line.indent, pos, child, depth + 1));
      } else {
        this.#record(child, pos, -1);
        out.push(this.#inline(pos, line.end, child, depth + 1));
        this.#at++;
        const next = this.#lines[this.#at];
        if (next && next.indent > indent) throw OUTSIDE;
      }
      const next = this.#lines[this.#at];
      if (!next || next.indent < indent) return out;
      if (next.indent > indent) throw OUTSIDE;
      if (!this.#isSequenceItem(next)) return out;
    }
  }

  /** A collection starting on a line of its own (a mapping's value on the lines after its key). */
  #block(line: Line, pointer: string, depth: number): unknown {
    if (this.#isSequenceItem(line)) return this.#sequence(line.indent, pointer, depth);
    if (this.#looksLikeEntry(line.start, line.end))
      return this.#mapping(line.indent, line.start, pointer, depth);
    throw OUTSIDE;
  }

  #isSequenceItem(line: Line): boolean {
    return (
      this.#text.charCodeAt(line.start) === DASH &&
      (line.start + 1 === line.end || this.#text.charCodeAt(line.start + 1) === SPACE)
    );
  }

  /** Whether a block mapping entry (`key:` followed by a space or the end of the line) starts at `pos`. */
  #looksLikeEntry(pos: number, end: number): boolean {
    const text = this.#text;
    const c = text.charCodeAt(pos);
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.#quotedEnd(pos, end);
      let p = close;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      return p < end && text.charCodeAt(p) === COLON && (p + 1 === end || text.charCodeAt(p + 1) === SPACE);
    }
    if (!canStartPlain(text, pos, end, false)) return false;
    const stop = this.#plainEnd(pos, end, false);
    return stop < end && text.charCodeAt(stop) === COLON;
  }

  /**
   * The key at `pos` and the offset after its `:`. In flow context a quoted key may be followed
   * directly by `:` and a value (`{"a":1}`), as in JSON.
   */
  #key(pos: number, end: number, flow: boolean): { key: string; after: number } {
    const text = this.#text;
    const c = text.charCodeAt(pos);
    let key: string;
    let p: number;
    if (c === SQUOTE || c === DQUOTE) {
      p = this.#quotedEnd(pos, end);
      key = this.#quoted(pos, p);
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (p >= end || text.charCodeAt(p) !== COLON) throw OUTSIDE;
      p++;
      if (!flow && p < end && text.charCodeAt(p) !== SPACE) throw OUTSIDE;
    } else {
      if (!canStartPlain(text, pos, end, flow)) throw OUTSIDE;
      p = this.#plainEnd(pos, end, flow);
      if (p >= end || text.charCodeAt(p) !== COLON) throw OUTSIDE;
      const raw = trimEnd(text, pos, p);
      // A key that would read as null, a boolean or a number becomes a string in a JavaScript
      // object; yaml's own conversion is the reference for those rare keys.
      if (resolvePlain(raw) !== raw || raw === '<<') throw OUTSIDE;
      key = raw;
      p++;
      // `{a:[1]}` and the like are left to yaml: a plain key's `:` is followed by a space here.
      if (p < end && text.charCodeAt(p) !== SPACE) throw OUTSIDE;
    }
    key = unshieldString(key);
    if (key === '__proto__') throw OUTSIDE;
    return { key, after: p };
  }

  /** A scalar or flow collection after `key: ` or `- `, to the end of its line. */
  #inline(pos: number, end: number, pointer: string, depth: number): unknown {
    const text = this.#text;
    const c = text.charCodeAt(pos);
    if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      const r = this.#flow(pos, end, pointer, depth);
      this.#endOfLine(r.end, end);
      return r.value;
    }
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.#quotedEnd(pos, end);
      const value = this.#quoted(pos, close);
      this.#endOfLine(close, end);
      return unshieldString(value);
    }
    if (!canStartPlain(text, pos, end, false)) throw OUTSIDE;
    const stop = this.#plainEnd(pos, end, false);
    // `a: b: c` (a `:` inside the value) is an error yaml reports.
    if (stop < end && text.charCodeAt(stop) === COLON) throw OUTSIDE;
    const raw = trimEnd(text, pos, stop);
    const value = resolvePlain(raw);
    return typeof value === 'string' ? unshieldString(value) : value;
  }

  /** Only spaces, then maybe a comment, may follow a value on its line. */
  #endOfLine(pos: number, end: number): void {
    const text = this.#text;
    let p = pos;
    while (p < end && text.charCodeAt(p) === SPACE) p++;
    if (p < end && !(text.charCodeAt(p) === HASH && p > pos)) throw OUTSIDE;
  }

  /** A flow collection closing on the same line; returns it and the offset after its bracket. */
  #flow(pos: number, end: number, pointer: string, depth: number): { value: unknown; end: number } {
    if (depth > this.#maxDepth) throw OUTSIDE;
    const text = this.#text;
    const map = text.charCodeAt(pos) === OPEN_CURLY;
    const close = map ? CLOSE_CURLY : CLOSE_SQUARE;
    const out: unknown = map ? {} : [];
    let p = skipSpaces(text, pos + 1, end);
    if (p < end && text.charCodeAt(p) === close) return { value: out, end: p + 1 };
    for (;;) {
      if (p >= end) throw OUTSIDE;
      let child: string;
      if (map) {
        const keyStart = p;
        const { key, after } = this.#key(p, end, true);
        const obj = out as Record<string, unknown>;
        if (Object.hasOwn(obj, key)) throw OUTSIDE;
        child = childPointer(pointer, key);
        p = skipSpaces(text, after, end);
        // `{a: }`, `{a:, b}`: an empty value is left to yaml.
        if (p >= end || text.charCodeAt(p) === COMMA || text.charCodeAt(p) === close) throw OUTSIDE;
        this.#record(child, p, keyStart);
        const r = this.#flowValue(p, end, child, depth);
        obj[key] = r.value;
        p = r.end;
      } else {
        const arr = out as unknown[];
        child = childPointer(pointer, arr.length);
        this.#record(child, p, -1);
        const r = this.#flowValue(p, end, child, depth);
        arr.push(r.value);
        p = r.end;
      }
      p = skipSpaces(text, p, end);
      if (p >= end) throw OUTSIDE;
      const c = text.charCodeAt(p);
      if (c === close) return { value: out, end: p + 1 };
      if (c !== COMMA) throw OUTSIDE;
      p = skipSpaces(text, p + 1, end);
      // A trailing comma (`[a, ]`) is valid YAML but rare: yaml reads it.
      if (p < end && text.charCodeAt(p) === close) throw OUTSIDE;
    }
  }

  #flowValue(pos: number, end: number, pointer: string, depth: number): { value: unknown; end: number } {
    const text = this.#text;
    const c = text.charCodeAt(pos);
    if (c === OPEN_SQUARE || c === OPEN_CURLY) return this.#flow(pos, end, pointer, depth + 1);
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.#quotedEnd(pos, end);
      return { value: unshieldString(this.#quoted(pos, close)), end: close };
    }
    if (!canStartPlain(text, pos, end, true)) throw OUTSIDE;
    const stop = this.#plainEnd(pos, end, true);
    const c2 = stop < end ? text.charCodeAt(stop) : -1;
    // `[a: b]` (a pair in a sequence) and `#` inside a flow collection are left to yaml.
    if (c2 === COLON || c2 === HASH) throw OUTSIDE;
    const raw = trimEnd(text, pos, stop);
    const value = resolvePlain(raw);
    return { value: typeof value === 'string' ? unshieldString(value) : value, end: stop };
  }

  /**
   * Where a plain scalar starting at `pos` stops: at ` #`, at a `:` followed by a space (or, in
   * flow context, by a flow indicator), at the end of the line, and in flow context at `,[]{}`.
   */
  #plainEnd(pos: number, end: number, flow: boolean): number {
    const text = this.#text;
    for (let i = pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const n = i + 1 < end ? text.charCodeAt(i + 1) : SPACE;
        if (n === SPACE || (flow && FLOW_INDICATOR.has(n))) return i;
      } else if (c === HASH) {
        if (text.charCodeAt(i - 1) === SPACE) return i;
      } else if (flow && FLOW_INDICATOR.has(c)) {
        return i;
      }
    }
    return end;
  }

  /** The offset after the closing quote of the quoted scalar at `pos` (on the same line). */
  #quotedEnd(pos: number, end: number): number {
    const text = this.#text;
    const q = text.charCodeAt(pos);
    for (let i = pos + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (q === SQUOTE && c === SQUOTE) {
        if (i + 1 < end && text.charCodeAt(i + 1) === SQUOTE) i++;
        else return i + 1;
      } else if (q === DQUOTE) {
        if (c === BACKSLASH) i++;
        else if (c === DQUOTE) return i + 1;
      }
    }
    throw OUTSIDE; // a quoted scalar running onto the next line
  }

  /** The value of the quoted scalar spanning `[pos, close)`. */
  #quoted(pos: number, close: number): string {
    const text = this.#text;
    const body = text.slice(pos + 1, close - 1);
    if (text.charCodeAt(pos) === SQUOTE) return body.includes("'") ? body.replaceAll("''", "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    let last = 0;
    for (let i = body.indexOf('\\'); i >= 0; i = body.indexOf('\\', last)) {
      out += body.slice(last, i);
      const e = body[i + 1] ?? '';
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        last = i + 2;
      } else {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 0;
        const hex = body.slice(i + 2, i + 2 + digits);
        if (digits === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) throw OUTSIDE;
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        last = i + 2 + digits;
      }
    }
    return out + body.slice(last);
  }
}

/** The single-character escapes of double-quoted YAML scalars. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

function canStartPlain(text: string, pos: number, end: number, flow: boolean): boolean {
  const c = text.charCodeAt(pos);
  if (INDICATOR.has(c)) return false;
  if (c === DASH || c === COLON || c === 0x3f /* ? */) {
    const n = pos + 1 < end ? text.charCodeAt(pos + 1) : SPACE;
    return n !== SPACE && !(flow && FLOW_INDICATOR.has(n));
  }
  return true;
}

function skipSpaces(text: string, pos: number, end: number): number {
  let p = pos;
  while (p < end && text.charCodeAt(p) === SPACE) p++;
  return p;
}

function trimEnd(text: string, pos: number, end: number): string {
  let e = end;
  while (e > pos && text.charCodeAt(e - 1) === SPACE) e--;
  return text.slice(pos, e);
}

/**
 * A plain scalar's value under the YAML 1.2 core schema, tested in yaml's order: null, boolean,
 * octal, decimal and hexadecimal integers, infinities and NaN, floats; anything else is a string.
 */
const MAY_BE_TYPED = /^[~+\-.0-9nNtTfF]/;

export function resolvePlain(s: string): unknown {
  // Most scalars are words: only these first characters can begin a null, boolean or number.
  if (!MAY_BE_TYPED.test(s)) return s === '' ? null : s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return Number.parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return Number.parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? -Infinity : Infinity;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return Number.parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return Number.parseFloat(s);
  return s;
}
