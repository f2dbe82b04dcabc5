import { describe, expect, it } from 'vitest';
import { FAKE_PROVIDER, fake, lines, resource, tree } from './fixtures.testing.js';
import { MANIFEST_LIMITS } from './limits.js';
import { loadManifests } from './load.js';
import { parseManifestFile } from './parse.js';

async function load(files: Record<string, string | Buffer>, paths = ['.']) {
  const cwd = tree(files);
  const r = await loadManifests({ paths, cwd, providers: [fake], env: {} });
  return { ...r, cwd, lines: lines(r.diagnostics) };
}

describe('parseManifestFile', () => {
  it('reads every document of a file, skipping empty ones, with its index and start', async () => {
    const dir = tree({
      'a.yaml': `# leading comment\n${FAKE_PROVIDER}---\n---\n# only a comment\n---\n${resource('Group', 'g', '{ name: G }')}`,
    });
    const r = await parseManifestFile({ path: `${dir}/a.yaml`, display: 'a.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => [d.index, d.start.line, (d.value as { kind: string }).kind])).toEqual([
      [0, 2, 'Provider'],
      [3, 10, 'Group'],
    ]);
    expect(r.documents[1]?.map.positionOf('/spec/name')).toEqual({ file: 'a.yaml', line: 13, column: 15 });
  });

  it('parses ${env:…} written unquoted inside a flow mapping, as DESIGN.md shows it', async () => {
    const dir = tree({ 'a.yaml': 'spec: { credentials: { secret: ${env:X}, days: 90 } }\n' });
    const r = await parseManifestFile({ path: `${dir}/a.yaml`, display: 'a.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]?.value).toEqual({ spec: { credentials: { secret: '${env:X}', days: 90 } } });
    expect(r.documents[0]?.map.positionOf('/spec/credentials/days')).toMatchObject({ line: 1, column: 48 });
  });

  it('keeps YAML 1.2 meaning even under a %YAML 1.1 directive', async () => {
    const dir = tree({ 'a.yaml': '%YAML 1.1\n---\nadmin: off\nwhen: 2001-12-14\n' });
    const r = await parseManifestFile({ path: `${dir}/a.yaml`, display: 'a.yaml' });
    expect(r.documents[0]?.value).toEqual({ admin: 'off', when: '2001-12-14' });
  });

  it('stores a __proto__ key as a field, not as the prototype', async () => {
    const dir = tree({ 'a.yaml': '__proto__: { polluted: true }\n' });
    const r = await parseManifestFile({ path: `${dir}/a.yaml`, display: 'a.yaml' });
    const value = r.documents[0]?.value as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('hostile and broken input: one clean diagnostic each, never an exception', () => {
  it('reports YAML syntax errors and duplicate keys at their position, and keeps the file’s other documents', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER,
      'broken.yaml': 'apiVersion: roster/v1\nkind: [unclosed\n',
      'dupkey.yaml': `${resource('Group', 'g', '{ name: G }')}---\napiVersion: roster/v1\napiVersion: roster/v1\n`,
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "broken.yaml:3:1: error[manifest.yaml]: Flow sequence in block collection must be sufficiently indented and end with a ]",
        "dupkey.yaml:7:1: error[manifest.duplicate-key]: duplicate key apiVersion (first at line 6): a key may appear only once in a mapping",
      ]
    `);
    expect(r.documents.map((d) => d.address)).toEqual(['f/Group/g', 'Provider/f']);
  });

  it('refuses an alias bomb', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const name = String.fromCharCode(98 + i);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const r = await load({ 'bomb.yaml': `${bomb.join('\n')}\n` });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "bomb.yaml:2:8: error[manifest.limit]: aliases expand too much (more than 100 expansions): write the values out, or use fewer nested aliases",
      ]
    `);
  });

  it('refuses an alias inside its own anchor', async () => {
    const r = await load({ 'loop.yaml': 'spec:\n  a: &x { b: *x }\n' });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "loop.yaml:2:14: error[manifest.yaml]: alias *x is inside its own anchor &x: that would be an endless value",
      ]
    `);
  });

  it('allows a few ordinary aliases', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER,
      'g.yaml':
        'apiVersion: roster/v1\nkind: Group\nmetadata: { name: a, provider: f, labels: { owner: &o team, purpose: *o } }\nspec: { name: G }\n',
    });
    expect(r.lines).toEqual([]);
    expect(r.documents[0]?.labels).toEqual({ owner: 'team', purpose: 'team' });
  });

  it('refuses a NUL byte, naming where it is', async () => {
    const r = await load({ 'nul.yaml': 'apiVersion: roster/v1\nkind: \u0000User\n' });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "nul.yaml:2:7: error[manifest.encoding]: NUL byte in the file: a manifest must be UTF-8 text",
      ]
    `);
  });

  it('refuses text that is not UTF-8', async () => {
    const r = await load({ 'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]) });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "latin1.yaml:1:4: error[manifest.encoding]: byte 0xe9 is not valid UTF-8: a manifest must be UTF-8 text",
      ]
    `);
  });

  it('refuses an oversize file without parsing it', async () => {
    const big = `# ${'x'.repeat(MANIFEST_LIMITS.maxFileBytes)}\n`;
    const r = await load({ 'big.yaml': big });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "big.yaml:1:1: error[manifest.limit]: file is 5,242,883 bytes; a manifest file may be at most 5 MiB (5,242,880 bytes): split it into several files",
      ]
    `);
  });

  it('refuses more documents than the limit', async () => {
    const r = await load({ 'many.yaml': '---\na: 1\n'.repeat(MANIFEST_LIMITS.maxDocumentsPerFile + 1) });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "many.yaml:20001:1: error[manifest.limit]: more than 10,000 documents in one file (10,001): split it into several files",
      ]
    `);
  });

  it('refuses nesting deeper than the limit, pointing at the first level too deep', async () => {
    const depth = MANIFEST_LIMITS.maxDepth + 1;
    const r = await load({
      'deep.yaml': `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      'deeper.yaml': `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      'block.yaml': Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n'),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "block.yaml:65:129: error[manifest.limit]: nesting deeper than 64 levels",
        "deep.yaml:1:67: error[manifest.limit]: nesting deeper than 64 levels",
        "deeper.yaml:1:257: error[manifest.limit]: nesting deeper than 64 levels",
      ]
    `);
  });

  it('takes the documents of a file up to the limits', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER,
      'ok.yaml': `a: ${'['.repeat(MANIFEST_LIMITS.maxDepth - 1)}${']'.repeat(MANIFEST_LIMITS.maxDepth - 1)}\n`,
    });
    // Not a manifest, but within every limit: the only complaint is about its shape.
    expect(r.lines.every((l) => !l.includes('manifest.limit'))).toBe(true);
  });

  it('refuses a document that is not a mapping', async () => {
    const r = await load({ 'list.yaml': '- 1\n- 2\n' });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "list.yaml:1:1: error[manifest.schema]: a manifest document must be a mapping with apiVersion, kind, metadata and spec",
      ]
    `);
  });
});
