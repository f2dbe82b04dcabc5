import { describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../manifest/parse.js';
import { parseManifestText } from '../manifest/parse.js';
import { mergeSpec, readDeviation } from './deviation.js';

const parse = (text: string): ParsedDocument =>
  parseManifestText({ path: '/f/dev.yaml', display: 'dev.yaml' }, text).documents[0]!;
const opts = { today: '2026-12-07', expiredSeverity: 'warning' as const, tenant: 'acme' };

describe('readDeviation', () => {
  it('reads a merge deviation', () => {
    const r = readDeviation(
      parse(
        'kind: ServiceAccount\nmetadata: { name: rmm }\ndeviation: { reason: migration, owner: noc, expires: "2027-01-31" }\nspec: { locked: true }\n',
      ),
      opts,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.deviation).toMatchObject({
      kind: 'ServiceAccount',
      name: 'rmm',
      exclude: false,
      spec: { locked: true },
    });
  });

  it('refuses a deviation without a reason, at the line of deviation:', () => {
    const r = readDeviation(
      parse(
        'kind: ServiceAccount\nmetadata: { name: rmm }\nexclude: true\ndeviation:\n  owner: noc\n  expires: "2027-01-31"\n',
      ),
      opts,
    );
    expect(r.deviation).toBeUndefined();
    expect(r.diagnostics).toMatchObject([{ code: 'fleet.deviation', file: 'dev.yaml', line: 4, column: 1 }]);
    expect(r.diagnostics[0]!.message).toMatch(/has no reason/);
  });

  it('refuses an exclude without any deviation block, a bad date, and spec with exclude', () => {
    const none = readDeviation(parse('kind: ServiceAccount\nmetadata: { name: rmm }\nexclude: true\n'), opts);
    expect(none.diagnostics).toMatchObject([
      { line: 3, message: expect.stringMatching(/must carry deviation/) },
    ]);
    const bad = readDeviation(
      parse(
        'kind: ServiceAccount\nmetadata: { name: rmm }\nexclude: true\nspec: {}\ndeviation: { reason: r, owner: o, expires: "2027-02-30" }\n',
      ),
      opts,
    );
    expect(bad.diagnostics.map((d) => d.message)).toEqual([
      'expires must be a date, YYYY-MM-DD (got 2027-02-30)',
      'a deviation either excludes the resource or merges a spec, not both',
    ]);
  });

  it('keeps an expired deviation in force and reports it with the configured severity', () => {
    const r = readDeviation(
      parse(
        'kind: ServiceAccount\nmetadata: { name: rmm }\nexclude: true\ndeviation: { reason: r, owner: noc, expires: "2026-12-06" }\n',
      ),
      { ...opts, expiredSeverity: 'error' },
    );
    expect(r.deviation?.exclude).toBe(true);
    expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'fleet.deviation-expired', line: 4 }]);
    // The day itself is still valid.
    const today = readDeviation(
      parse(
        'kind: ServiceAccount\nmetadata: { name: rmm }\nexclude: true\ndeviation: { reason: r, owner: noc, expires: "2026-12-07" }\n',
      ),
      opts,
    );
    expect(today.diagnostics).toEqual([]);
  });
});

describe('mergeSpec', () => {
  it('merges mappings key by key and replaces lists, naming what it set', () => {
    const r = mergeSpec(
      { name: 'x', permissions: { a: ['View', 'Edit'], b: 'All' }, roles: ['r1'] },
      { permissions: { a: ['View'] }, roles: ['r2'] },
    );
    expect(r.spec).toEqual({ name: 'x', permissions: { a: ['View'], b: 'All' }, roles: ['r2'] });
    expect(r.set).toEqual(['/spec/permissions/a', '/spec/roles']);
  });
});
