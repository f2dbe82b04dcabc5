/**
 * Mutations of valid manifests for the fuzz test (`test/fuzz-manifests.test.ts`): each class breaks
 * a manifest in one way a careless edit or a hostile pull request could. Deterministic for a seed.
 */

/** A seeded PRNG (mulberry32): the same seed gives the same cases, so a failure can be replayed. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** One mutated manifest file. */
export interface Mutation {
  /** The mutation class (what the fuzz test counts cases by). */
  cls: string;
  content: Buffer;
  /**
   * Whether every such input must be refused (exit 1); otherwise the mutation may leave the manifest
   * valid (a flipped byte in a comment), and planning normally is right.
   */
  mustFail: boolean;
}

/** What a mutator gets: the file's text and lines, the other files' texts (for splicing). */
interface Input {
  text: string;
  lines: string[];
  others: string[];
  rng: Prng;
}

type Mutator = (input: Input) => { content: Buffer | string; mustFail: boolean } | undefined;

const MIB = 1024 * 1024;
/** A `key: value` line of a block mapping (not a comment, not a list item, not the document marker). */
const KEY_LINE = /^(\s*)([A-Za-z_][\w-]*):(\s+)(\S.*)$/;
const INVALID_KINDS = [
  'Secret',
  'Deployment',
  'serviceaccount',
  'ServiceAccounts',
  '',
  '"ServiceAccount "',
  'Kind',
  '123',
];
const SWAPS = [
  '[]',
  '{}',
  '123',
  '-1',
  'true',
  'null',
  '~',
  '"x"',
  '1.5e309',
  '0x1F',
  '[1, [2]]',
  '{a: 1}',
  "''",
  '.nan',
  '-.inf',
  '2001-12-14',
];
const TAGS = [
  '!!binary aGVsbG8=',
  '!!js/function "function(){}"',
  '!custom x',
  '!!set {a, b}',
  '!!timestamp 2001-12-14',
  '!!omap [a: 1]',
  '!!str 1',
  '!<tag:yaml.org,2002:python/object> x',
];

function replaceLine(lines: string[], index: number, line: string): string {
  const copy = [...lines];
  copy[index] = line;
  return copy.join('\n');
}

/** Indexes of `key: value` lines, optionally only those whose key matches. */
function keyLines(lines: string[], key?: RegExp): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    const m = KEY_LINE.exec(l);
    if (m && (!key || key.test(m[2] ?? ''))) out.push(i);
  });
  return out;
}

/** Replace the value of a random `key: value` line (of a key matching `key`) with `value`. */
function setValue(input: Input, value: string, key?: RegExp): string | undefined {
  const candidates = keyLines(input.lines, key);
  if (candidates.length === 0) return undefined;
  const i = input.rng.pick(candidates);
  const m = KEY_LINE.exec(input.lines[i] ?? '');
  if (!m) return undefined;
  return replaceLine(input.lines, i, `${m[1]}${m[2]}:${m[3]}${value}`);
}

function insertAt(bytes: Buffer, at: number, insert: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
}

/** `credentials:` opening a block mapping (its keys on the lines below, indented). */
const CREDENTIALS_BLOCK = /^(\s*)credentials:\s*(#.*)?$/;

/** Lines that are keys outside any credentials block: where a reference would leak a local file or variable. */
function nonCredentialKeyLines(lines: string[]): number[] {
  const out: number[] = [];
  let credentialsIndent: number | undefined;
  lines.forEach((l, i) => {
    const block = CREDENTIALS_BLOCK.exec(l);
    if (block) {
      credentialsIndent = (block[1] ?? '').length;
      return;
    }
    const m = KEY_LINE.exec(l);
    if (!m) return;
    const indent = (m[1] ?? '').length;
    if (credentialsIndent !== undefined && indent <= credentialsIndent) credentialsIndent = undefined;
    if (m[2] === 'credentials') credentialsIndent = indent;
    else if (credentialsIndent === undefined && !/^(apiVersion|kind|---)$/.test(m[2] ?? '')) out.push(i);
  });
  return out;
}

function reference(input: Input, ref: string): { content: string; mustFail: boolean } | undefined {
  const candidates = nonCredentialKeyLines(input.lines);
  if (candidates.length === 0) return undefined;
  const i = input.rng.pick(candidates);
  const m = KEY_LINE.exec(input.lines[i] ?? '');
  if (!m) return undefined;
  const style = input.rng.int(3);
  const value = style === 0 ? ref : style === 1 ? `"${ref}"` : `[${ref}]`;
  return { content: replaceLine(input.lines, i, `${m[1]}${m[2]}:${m[3]}${value}`), mustFail: true };
}

function nested(depth: number, flow: boolean): string {
  if (flow) return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  let out = '';
  for (let d = 0; d < depth; d++) out += `\n${'  '.repeat(d + 2)}k:`;
  return `${out} 1`;
}

/** Every mutation class, with how it breaks the file. */
export const MUTATORS: Record<string, Mutator> = {
  'byte-flip': ({ text, rng }) => {
    const b = Buffer.from(text);
    for (let n = 1 + rng.int(6); n > 0; n--) b[rng.int(b.length)] = rng.int(256);
    return { content: b, mustFail: false };
  },
  truncate: ({ text, rng }) => ({
    content: Buffer.from(text).subarray(0, rng.int(text.length)),
    mustFail: false,
  }),
  'delete-line': ({ lines, rng }) => {
    const copy = [...lines];
    copy.splice(rng.int(copy.length), 1);
    return { content: copy.join('\n'), mustFail: false };
  },
  'type-swap': (input) => {
    const s = setValue(input, input.rng.pick(SWAPS));
    return s === undefined ? undefined : { content: s, mustFail: false };
  },
  'huge-string': (input) => {
    const size = input.rng.pick([1_000, 100_000, 100_000, MIB, MIB, 4 * MIB]);
    const s = setValue(input, `"${'A'.repeat(size)}"`);
    return s === undefined ? undefined : { content: s, mustFail: false };
  },
  'oversize-file': ({ text, rng }) => ({
    content: `${text}\n${`# ${'x'.repeat(1021)}\n`.repeat(5 * 1024 + 1 + rng.int(64))}`,
    mustFail: true,
  }),
  'deep-nesting': (input) => {
    const depth = input.rng.pick([65, 200, 5_000, 100_000]);
    const flow = depth > 1_000 || input.rng.int(2) === 0;
    const s = setValue(input, nested(depth, flow));
    return s === undefined ? undefined : { content: s, mustFail: true };
  },
  'alias-bomb': ({ text, rng }) => {
    const levels = 4 + rng.int(6);
    const lines = [
      'apiVersion: roster/v1',
      'kind: Group',
      'metadata: { name: lol }',
      'spec:',
      '  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ];
    for (let i = 1; i <= levels; i++) {
      lines.push(`  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    }
    return { content: `${text}\n---\n${lines.join('\n')}\n`, mustFail: true };
  },
  'unknown-kind': (input) => {
    const s = setValue(input, input.rng.pick(INVALID_KINDS), /^kind$/);
    return s === undefined ? undefined : { content: s, mustFail: true };
  },
  'cyclic-refs': ({ text, rng }) => {
    // Every reference of a document points back at the document itself (by name or by address).
    const docs = text.split(/^---$/m).map((doc) => {
      const name = /^\s+name:\s*([\w-]+)/m.exec(doc)?.[1] ?? /name:\s*([\w-]+)/.exec(doc)?.[1];
      const provider = /provider:\s*([\w-]+)/.exec(doc)?.[1];
      const kind = /^kind:\s*(\w+)/m.exec(doc)?.[1];
      if (!name) return doc;
      const target = rng.int(2) === 0 || !provider ? name : `${provider}/${kind}/${name}`;
      return doc.replace(/ref:\s*[^,}\s]+/g, `ref: ${target}`);
    });
    return { content: docs.join('---'), mustFail: false };
  },
  'file-outside-credentials': (input) => reference(input, '${file:/etc/passwd}'),
  'env-outside-credentials': (input) => reference(input, '${env:HOME}'),
  'nul-byte': ({ text, rng }) => ({
    content: insertAt(Buffer.from(text), rng.int(text.length + 1), Buffer.from([0])),
    mustFail: true,
  }),
  'invalid-utf8': ({ text, rng }) => ({
    content: insertAt(
      Buffer.from(text),
      rng.int(text.length + 1),
      Buffer.from(
        rng.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]),
      ),
    ),
    mustFail: true,
  }),
  'duplicate-key': ({ lines, rng }) => {
    const candidates = keyLines(lines);
    if (candidates.length === 0) return undefined;
    const i = rng.pick(candidates);
    const copy = [...lines];
    copy.splice(i + 1, 0, lines[i] ?? '');
    // A key repeated with a block value would repeat only the key line: the value follows the copy.
    return { content: copy.join('\n'), mustFail: true };
  },
  bom: ({ text, rng }) => {
    const b = Buffer.from(text);
    return rng.int(2) === 0
      ? { content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), mustFail: false }
      : { content: insertAt(b, rng.int(b.length + 1), Buffer.from([0xef, 0xbb, 0xbf])), mustFail: false };
  },
  'document-flood': ({ text, rng }) => ({
    content: `${'---\n'.repeat(10_001 + rng.int(5_000))}${text}`,
    mustFail: true,
  }),
  'yaml-tag': (input) => {
    const s = setValue(input, input.rng.pick(TAGS));
    return s === undefined ? undefined : { content: s, mustFail: false };
  },
  'merge-key': ({ lines, rng }) => {
    const i = rng.int(lines.length);
    const copy = [...lines];
    copy.splice(i, 0, rng.pick(['<<: *nope', '<<: {a: 1}', 'x: &m {a: 1}', '<<: [*m]', '*undefined_alias']));
    return { content: copy.join('\n'), mustFail: false };
  },
  'prototype-key': (input) => {
    const i = input.rng.pick(keyLines(input.lines));
    const m = KEY_LINE.exec(input.lines[i] ?? '');
    if (!m) return undefined;
    const key = input.rng.pick(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
    const copy = [...input.lines];
    copy.splice(i, 0, `${m[1]}${key}: { admin: true, polluted: yes }`);
    return { content: copy.join('\n'), mustFail: false };
  },
  splice: ({ lines, others, rng }) => {
    const other = rng.pick(others).split('\n');
    const start = rng.int(other.length);
    const copy = [...lines];
    copy.splice(rng.int(copy.length + 1), 0, ...other.slice(start, start + 1 + rng.int(6)));
    return { content: copy.join('\n'), mustFail: false };
  },
  'control-chars': ({ text, rng }) => ({
    content: insertAt(
      Buffer.from(text),
      rng.int(text.length + 1),
      Buffer.from(rng.pick(['\x07', '\x1b[31m', '\x1b]0;pwned\x07', '\r', '\u2028', '\t', '\x7f', '\u202e'])),
    ),
    mustFail: false,
  }),
  'duplicate-document': ({ text }) => {
    const first = text.split(/^---$/m).find((d) => /^kind:/m.test(d));
    return first
      ? { content: `${text}\n---${first.startsWith('\n') ? '' : '\n'}${first}`, mustFail: true }
      : undefined;
  },
  'literal-secret': ({ text, rng }) => {
    const doc = text.split(/^---$/m).find((d) => /^spec:\s*$/m.test(d));
    if (!doc) return undefined;
    const secret = `literal-${rng.int(1e9)}`;
    return {
      content: text.replace(doc, doc.replace(/^spec:\s*$/m, `spec:\n  credentials: { secret: ${secret} }`)),
      mustFail: true,
    };
  },
  'indent-shift': ({ lines, rng }) => {
    const i = rng.int(lines.length);
    const copy = [...lines];
    copy[i] = rng.int(2) === 0 ? ` ${copy[i]}` : (copy[i] ?? '').replace(/^\s/, '');
    return { content: copy.join('\n'), mustFail: false };
  },
};

/** Mutation classes that cost megabytes each: drawn less often so thousands of cases stay fast. */
const RARE = new Set(['oversize-file', 'huge-string', 'document-flood']);

/** Draw one mutation of `text` (one of `others` may be spliced in). */
export function mutate(text: string, others: string[], rng: Prng): Mutation {
  for (;;) {
    const cls = rng.pick(Object.keys(MUTATORS));
    if (RARE.has(cls) && rng.int(6) !== 0) continue;
    const mutator = MUTATORS[cls];
    if (!mutator) continue;
    const r = mutator({ text, lines: text.split('\n'), others, rng });
    if (!r) continue;
    return {
      cls,
      content: Buffer.isBuffer(r.content) ? r.content : Buffer.from(r.content),
      mustFail: r.mustFail,
    };
  }
}
