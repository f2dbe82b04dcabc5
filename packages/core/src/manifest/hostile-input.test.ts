import { describe, expect, it } from 'vitest';
import { openProject } from '../project/project.js';
import type { Provider } from '../provider.js';
import { FAKE_PROVIDER, fake, lines, resource, tree } from './fixtures.testing.js';
import { firstDeepFlow } from './flow-depth.js';
import { loadManifests } from './load.js';
import { firstInvalidUtf8 } from './utf8.js';

// Regressions found by test/fuzz-manifests.test.ts: every refusal names a line, and a document
// with errors never reaches code that assumes a valid spec.

describe('hostile manifests', () => {
  it('names the line and column of the first byte that is not UTF-8', async () => {
    const dir = tree({
      'a.yaml': Buffer.concat([
        Buffer.from('apiVersion: roster/v1\nkind: Gro'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('up\n'),
      ]),
    });
    const r = await loadManifests({ paths: ['.'], cwd: dir, providers: [fake] });
    expect(lines(r.diagnostics)).toEqual([
      'a.yaml:2:10: error[manifest.encoding]: byte 0xc3 is not valid UTF-8: a manifest must be UTF-8 text',
    ]);
  });

  it('finds overlong forms, surrogates, truncated sequences and stray continuation bytes', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo → 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong '/'
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0xe2, 0x82]))).toBe(0); // cut short
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1); // continuation alone
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // past U+10FFFF
  });

  it('tags every error of a document with its address: interpolation and schema errors included', async () => {
    const dir = tree({
      'p.yaml': FAKE_PROVIDER,
      'a.yaml': resource('Group', 'g', '{ name: ${env:HOME}, lead: oops }'),
    });
    const r = await loadManifests({ paths: ['.'], cwd: dir, providers: [fake], env: { HOME: '/root' } });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code).sort()).toEqual(['manifest.interpolation', 'manifest.schema']);
    for (const d of errors) expect(d.address).toBe('f/Group/g');
  });

  it("does not run a provider's cross-resource check on a document with errors (it would crash on the wrong shape)", async () => {
    const checked: string[] = [];
    const strict: Provider = {
      ...fake,
      check: ({ resources }) => {
        for (const r of resources) {
          checked.push(r.address);
          // Like a real check: it trusts the schema (here: lead is an object).
          if (r.spec['lead'] !== undefined && !('ref' in (r.spec['lead'] as object)))
            throw new TypeError('bad shape');
        }
        return { diagnostics: [] };
      },
    };
    const dir = tree({
      'p.yaml': FAKE_PROVIDER,
      'a.yaml': resource('Group', 'bad', '{ name: ${env:HOME}, lead: "${env:HOME}" }'),
      'b.yaml': resource('Group', 'good', '{ name: Good }'),
    });
    const project = await openProject({
      paths: ['.'],
      cwd: dir,
      providers: [strict],
      env: { HOME: '/root' },
    });
    expect(checked).toEqual(['f/Group/good']);
    expect(lines(project.diagnostics).filter((l) => l.includes('error'))).toEqual([
      'a.yaml:4:15: error[manifest.interpolation]: ${env:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system',
      'a.yaml:4:34: error[manifest.interpolation]: ${env:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system',
    ]);
  });
});

describe('deep flow nesting', () => {
  it('refuses a file of thousands of nested brackets before parsing, at the line where it gets too deep', async () => {
    const depth = 2_000_000;
    const dir = tree({
      'deep.yaml': `kind: Group\nspec:\n  name: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`,
    });
    const started = Date.now();
    const r = await loadManifests({ paths: ['.'], cwd: dir, providers: [fake] });
    // yaml alone took 38 s on this input.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(lines(r.diagnostics)).toEqual([
      'deep.yaml:3:265: error[manifest.limit]: nesting deeper than 64 levels',
    ]);
  });

  it('counts neither comments nor earlier documents, and lets brackets in ordinary values pass', () => {
    expect(firstDeepFlow(`a: 1 # ${'['.repeat(1000)}\nb: 2\n`, 256)).toBe(-1);
    expect(firstDeepFlow(`a: ${'['.repeat(200)}\n---\nb: ${'['.repeat(200)}\n`, 256)).toBe(-1);
    expect(firstDeepFlow('pattern: "^[a-z]+$"\nlist: [a, [b, {c: d}]]\n', 256)).toBe(-1);
    expect(firstDeepFlow(`x: ${'{a: '.repeat(300)}`, 256)).toBe(3 + 256 * 4);
  });
});
