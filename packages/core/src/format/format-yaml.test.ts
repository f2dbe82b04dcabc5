import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatManifestText } from './format-yaml.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const values = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const comments = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\s*#/.test(l))
    .map((l) => l.trim());

function format(text: string): string {
  const r = formatManifestText(text);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.column} ${r.error.message}`);
  return r.text;
}

describe('formatManifestText', () => {
  const files = yamlFiles(EXAMPLES);
  it('finds the examples', () => expect(files.length).toBeGreaterThan(20));
  for (const file of files) {
    it(`keeps every value and comment of ${path.relative(EXAMPLES, file)}, and is idempotent`, () => {
      const source = readFileSync(file, 'utf8');
      const once = format(source);
      // The examples are written in the canonical layout: `roster fmt` leaves them as they are.
      expect(once).toBe(source);
      expect(values(once)).toEqual(values(source));
      expect(comments(once)).toEqual(comments(source));
      expect(format(once)).toBe(once);
    });
  }

  it('puts the envelope and metadata keys in order, keeping comments on moved keys', () => {
    const source = [
      '# head',
      'spec:',
      '    name: X   # the name',
      '    roles:',
      '      - ref: a',
      'kind: Group',
      'metadata:',
      '  labels: {a: b}',
      '  provider: p',
      '  name: g',
      'apiVersion: roster/v1',
      '',
      '',
      '---',
      'kind: Provider',
      'apiVersion: roster/v1',
      'metadata: { name: p }',
      'spec: { type: intacct }',
    ].join('\n');
    const out = format(source);
    expect(out).toBe(
      [
        '# head',
        'apiVersion: roster/v1',
        'kind: Group',
        'metadata:',
        '  name: g',
        '  provider: p',
        '  labels: { a: b }',
        'spec:',
        '  name: X # the name',
        '  roles:',
        '    - { ref: a }',
        '---',
        'apiVersion: roster/v1',
        'kind: Provider',
        'metadata: { name: p }',
        'spec: { type: intacct }',
        '',
      ].join('\n'),
    );
    expect(values(out)).toEqual(values(source));
    expect(format(out)).toBe(out);
  });

  it('reports the line of a YAML error and gives no text', () => {
    const r = formatManifestText('apiVersion: roster/v1\nkind: [Group\nspec: {}\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBeGreaterThanOrEqual(2);
  });

  it('says whether the text changed', () => {
    const r = formatManifestText('kind: X\napiVersion: roster/v1\n');
    expect(r.ok && r.changed).toBe(true);
    const again = formatManifestText('apiVersion: roster/v1\nkind: X\n');
    expect(again.ok && again.changed).toBe(false);
  });

  it('leaves YAML that is no manifest (no apiVersion roster/…) as it is', () => {
    const workflow = 'on:\n    push: {branches: [main]}\njobs: {}\n';
    expect(formatManifestText(workflow)).toEqual({ ok: true, text: workflow, changed: false });
  });
});
