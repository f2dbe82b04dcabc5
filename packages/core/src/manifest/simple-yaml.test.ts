import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS } from './limits.js';
import { parseManifestText } from './parse.js';
import { shieldReferences } from './shield.js';
import { parseSimpleYaml, resolvePlain } from './simple-yaml.js';

const FILE = { path: '/project/a.yaml', display: 'a.yaml' };

/**
 * Hold the fast reader to `yaml` on one text: either it gives up, or the documents (indexes,
 * values, starts, the position of every value and key) are exactly those of the `yaml` path, which
 * must report nothing at all. Returns whether the fast reader answered.
 */
function agreesWithYaml(text: string): boolean {
  const simple = parseSimpleYaml(shieldReferences(text), MANIFEST_LIMITS.maxDepth);
  if (!simple) return false;
  const fast = parseManifestText(FILE, text);
  const reference = parseManifestText(FILE, text, 'yaml');
  const context = `for ${JSON.stringify(text)}`;
  expect(reference.diagnostics, context).toEqual([]);
  expect(fast.diagnostics, context).toEqual([]);
  expect(
    fast.documents.map((d) => d.index),
    context,
  ).toEqual(reference.documents.map((d) => d.index));
  for (const [i, doc] of fast.documents.entries()) {
    const ref = reference.documents[i]!;
    // Deep strict equality tells -0 from 0 and NaN apart from everything, as a reviewer would.
    expect(isDeepStrictEqual(doc.value, ref.value), `${context}: ${JSON.stringify(doc.value)}`).toBe(true);
    expect(doc.start, context).toEqual(ref.start);
    for (const pointer of simple[i]!.pointers) {
      expect(doc.map.positionOf(pointer), `${context} at ${pointer}`).toEqual(ref.map.positionOf(pointer));
      expect(doc.map.keyPositionOf(pointer), `${context} at key ${pointer}`).toEqual(
        ref.map.keyPositionOf(pointer),
      );
    }
  }
  return true;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function repositoryYaml(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.git')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) repositoryYaml(full, out);
    else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'pnpm-lock.yaml') out.push(full);
  }
  return out;
}

describe('parseSimpleYaml', () => {
  it('reads every manifest of the examples, as yaml does', () => {
    const manifests = repositoryYaml(path.join(REPO, 'examples')).filter(
      (f) => !f.includes(`${path.sep}ci${path.sep}`),
    );
    expect(manifests.length).toBeGreaterThan(20);
    for (const file of manifests) {
      // The examples are how people write manifests: the fast reader must take them all.
      expect(agreesWithYaml(readFileSync(file, 'utf8')), file).toBe(true);
    }
  });

  it('agrees with yaml, or gives up, on every YAML file of the repository', () => {
    for (const file of repositoryYaml(REPO)) agreesWithYaml(readFileSync(file, 'utf8'));
  });

  it.each([
    // Document separators, empty documents and comments: indexes as yaml counts them.
    ['# c\n---\na: 1\n---\n---\n# only a comment\n---\nb: [1, 2]\n', true],
    ['a: 1\n---\n', true],
    ['--- # first\na: 1\n---   \nb: 2', true],
    ['', true],
    ['# nothing\n', true],
    // Scalars as the YAML 1.2 core schema reads them.
    [
      'a: -5\nb: 0x1F\nc: 0o17\nd: 0b11\ne: 1_000\nf: 1.0\ng: .5\nh: 1e3\ni: -.Inf\nj: .nan\nk: ~\nl: Null\nm: off\n',
      true,
    ],
    ['a: +0\nb: -0\nc: 007\nd: 5.\ne: TRUE\nf: yes\ng: 2001-12-14\nh: 12345678901234567890\n', true],
    ["a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41 \\\\ \\/ \\\"\"\nc: ''\nd: \"\"\n", true],
    ['a: x#y\nb: x # comment\nc: http://x:8080/p?q=1\nd: :x\ne: a :b\nf: -x\ng: x[0], {y}\n', true],
    // Nesting: sequences at the key's indentation, compact mappings in sequences, flow collections.
    ['a:\n- 1\n- b: 2\n  c: [x, {d: e}]\nf: {g: [], h: {}, i: [ ]}\n', true],
    ['  a:\n    b: 1\n  c: 2\n', true],
    ['- a\n- [b, c]\n- d: 1\n', true],
    ['{a: 1, "b":2, \'c\': [x, "y, z"]}\n', true],
    ['spec: { credentials: { secret: ${env:X}, cert: ${file:./k.pem} }, days: 90 }\n', true],
    ['"quoted key": 1\n\'single\': 2\nkey with spaces : 3\n', true],
    ['a:\n  b: 1\n # a comment at another indentation\n  c: 2\n', true],
    ['é: 日本\nü: [ß]\n', true],
    // Outside the subset: yaml reads these (values, errors and all).
    ['a: x\n  y\n', false],
    ['a: &x 1\nb: *x\n', false],
    ['a: !tag x\n', false],
    ['a: |\n  text\n', false],
    ['a: >\n  text\n', false],
    ['a: [1,\n  2]\n', false],
    ['a: "x\n  y"\n', false],
    ['%YAML 1.2\n---\na: 1\n', false],
    ['a: 1\n...\n', false],
    ['--- a: 1\n', false],
    ['a:\tb\n', false],
    ['a: 1\r\nb: 2\r\n', false],
    ['a: 1\na: 2\n', false],
    ['{a: 1, a: 2}\n', false],
    ['? a\n: b\n', false],
    ['1: a\n', false],
    ['true: a\n', false],
    ['<<: {a: 1}\n', false],
    ['__proto__: {polluted: true}\n', false],
    ['a: b: c\n', false],
    ['a: - x\n', false],
    ['a: [x, ]\n', false],
    ['a: {b: }\n', false],
    ['a: {b:c}\n', false],
    ['a: [b: c]\n', false],
    ["a: 'x' y\n", false],
    ['a: "\\q"\n', false],
    ['- a\n-\n- b\n', false],
    ['- - a\n', false],
    ['a:\n  text\n', false],
    ['just a scalar\n', false],
    ['a: 1\n b: 2\n', false],
    ['a:\n    b: 1\n  c: 2\n', false],
    ['a:\n  - 1\n  b: 2\n', false],
  ])('%j: fast reader answers: %s', (text, answers) => {
    expect(agreesWithYaml(text)).toBe(answers);
  });

  it('agrees with yaml on thousands of generated documents, near misses included', () => {
    const random = mulberry32(20261206);
    let answered = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      let text = generatedFile(random);
      // A third are damaged by one character: the reader must give up on what is no longer valid.
      if (random() < 0.33) text = mutate(text, random);
      if (agreesWithYaml(text)) answered++;
    }
    // Guards the test itself: a reader that always gave up would pass the comparisons above.
    expect(answered).toBeGreaterThan(runs / 4);
  });

  it('takes a file of 1,000 account documents (the shape of a large project)', () => {
    const docs = Array.from(
      { length: 1000 },
      (_, i) =>
        `apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: u${i}, provider: p, labels: { owner: t } }\nspec:\n  id: WS_${i}\n  email: u${i}@example.com\n  roles: [{ ref: reader }]\n  adminPrivileges: off\n`,
    );
    const simple = parseSimpleYaml(docs.join('---\n'), MANIFEST_LIMITS.maxDepth);
    expect(simple?.length).toBe(1000);
    expect(simple?.[999]?.value).toMatchObject({ spec: { id: 'WS_999', roles: [{ ref: 'reader' }] } });
  });
});

describe('resolvePlain', () => {
  it('reads scalars as the YAML 1.2 core schema does', () => {
    expect(
      [
        '~',
        'null',
        'NULL',
        'true',
        'False',
        '0o17',
        '0x1f',
        '-12',
        '1e3',
        '.5',
        '-.inf',
        'off',
        '0b1',
        '1_0',
      ].map(resolvePlain),
    ).toEqual([null, null, null, true, false, 15, 31, -12, 1000, 0.5, -Infinity, 'off', '0b1', '1_0']);
  });
});

/** A small seeded generator, so a failure names an input that can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scalars most manifests hold. */
const COMMON = [
  'a',
  'x y',
  'roster/v1',
  'http://x:8080/p',
  'a#b',
  '-5',
  '0x1F',
  '1.0',
  '1e3',
  '~',
  'true',
  'off',
  '',
  'é ü 日本',
  '${env:X}',
  '1',
  'a/b~c',
];
/** Scalars that read as something else, or cannot be written plain. */
const TRICKY = [
  'a #b',
  '+3',
  '0o17',
  '0b11',
  '1_000',
  '.5',
  '5.',
  '.inf',
  '-.Inf',
  '.nan',
  'null',
  'NULL',
  'False',
  'a: b',
  'a:b',
  ':x',
  '-',
  '- x',
  '?x',
  '? x',
  '[x]',
  '{x}',
  'x]',
  'x,y',
  "it's",
  'say "hi"',
  '${file:./k.pem}',
  '#x',
  '&a',
  '*a',
  '!t',
  '|',
  '>',
  '%x',
  '@x',
  '`x`',
  '---',
  '...',
  'a\\b',
  '__proto__',
  '<<',
  '-0',
  'x ',
  ' x',
];
const KEYS = [
  'name',
  'spec',
  'id',
  'roles',
  'a',
  'b',
  'email',
  'a b',
  'a/b',
  'x~y',
  '1',
  'true',
  'k:v',
  '-k',
  'é',
];

type Random = () => number;
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function scalar(r: Random, s: string): string {
  const style = r();
  if (style < 0.6) return s;
  if (style < 0.8) return `'${s.replaceAll("'", "''")}'`;
  return JSON.stringify(s);
}

type Value = string | Value[] | { [k: string]: Value };

function value(r: Random, depth: number): Value {
  const c = r();
  if (depth > 3 || c < 0.5) return pick(r, r() < 0.8 ? COMMON : TRICKY);
  if (c < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const out: Record<string, Value> = {};
  for (let i = Math.floor(r() * 4); i >= 0; i--) out[pick(r, KEYS)] = value(r, depth + 1);
  return out;
}

function flow(r: Random, v: Value): string {
  if (typeof v === 'string') return scalar(r, v);
  const space = r() < 0.7 ? ' ' : '';
  if (Array.isArray(v)) return `[${space}${v.map((x) => flow(r, x)).join(`,${space}`)}${space}]`;
  return `{${space}${Object.entries(v)
    .map(([k, x]) => `${scalar(r, k)}: ${flow(r, x)}`)
    .join(`,${space}`)}${space}}`;
}

function comment(r: Random): string {
  return r() < 0.15 ? ' # note' : '';
}

const isNonEmptyCollection = (v: Value): v is Value[] | { [k: string]: Value } =>
  typeof v !== 'string' && Object.keys(v).length > 0;

/** A non-empty collection in block style; its children in block or flow style, at random. */
function block(r: Random, v: Value[] | { [k: string]: Value }, indent: number, step: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v
      .map((item) => {
        if (isNonEmptyCollection(item) && !Array.isArray(item) && r() < 0.6) {
          // `- key: value` with the other keys lined up under the first.
          return `${pad}- ${block(r, item, indent + 2, step).slice(indent + 2)}`;
        }
        if (isNonEmptyCollection(item) && r() < 0.5) return `${pad}-\n${block(r, item, indent + step, step)}`;
        return `${pad}- ${flow(r, item)}${comment(r)}\n`;
      })
      .join('');
  }
  return Object.entries(v)
    .map(([k, x]) => {
      const key = `${pad}${scalar(r, k)}:`;
      if (!isNonEmptyCollection(x) || r() < 0.3) return `${key} ${flow(r, x)}${comment(r)}\n`;
      // A sequence may sit at its key's indentation.
      if (Array.isArray(x) && r() < 0.3) return `${key}\n${block(r, x, indent, step)}`;
      return `${key}${comment(r)}\n${r() < 0.1 ? `${pad}  # aside\n` : ''}${block(r, x, indent + step, step)}`;
    })
    .join('');
}

function generatedFile(r: Random): string {
  const docs: string[] = [];
  for (let i = Math.floor(r() * 3); i >= 0; i--) {
    const root: Record<string, Value> = { apiVersion: 'roster/v1', kind: 'ServiceAccount' };
    for (let k = Math.floor(r() * 4); k >= 0; k--) root[pick(r, KEYS)] = value(r, 1);
    docs.push(
      r() < 0.05 ? `${flow(r, root)}\n` : block(r, root, r() < 0.9 ? 0 : 2, pick(r, [2, 2, 2, 4, 1, 3])),
    );
  }
  const separator = pick(r, ['---\n', '--- # doc\n', '---  \n', '---\n\n# between\n']);
  return `${r() < 0.2 ? '# header\n---\n' : ''}${docs.join(separator)}${r() < 0.1 ? '---\n' : ''}`;
}

function mutate(text: string, r: Random): string {
  const at = Math.floor(r() * text.length);
  const c = r();
  if (c < 0.4) return text.slice(0, at) + text.slice(at + 1);
  if (c < 0.7) return text.slice(0, at) + text[at] + text.slice(at);
  return (
    text.slice(0, at) +
    pick(r, [':', '-', '#', "'", '"', ' ', '\n', '[', ']', '{', '}', ',', '&', '*']) +
    text.slice(at)
  );
}
