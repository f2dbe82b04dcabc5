import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineAccepts, globMatches, loadDriftBaseline, parseIgnoreFile } from './ignore-file.js';

describe('parseIgnoreFile', () => {
  it('reads patterns, class prefixes, attributes, quoted addresses and comments', () => {
    const text = [
      '# accepted drift, reviewed 2026-11-01',
      '',
      'intacct-prod/ServiceAccount/bi-export adminPrivileges',
      '  unmanaged:intacct-prod/ServiceAccount/WS_LEGACY_*   # the old ETL users',
      'deleted:afas/Group/*',
      'changed:intacct-prod/SecurityLevel/* /permissions',
      'unmanaged:"intacct-prod/SecurityLevel/Read Only"',
      'p/Account/*',
    ].join('\n');
    expect(parseIgnoreFile(text, '.rosterignore').rules).toEqual([
      { line: 3, address: 'intacct-prod/ServiceAccount/bi-export', attribute: 'adminPrivileges' },
      { line: 4, class: 'unmanaged', address: 'intacct-prod/ServiceAccount/WS_LEGACY_*' },
      { line: 5, class: 'deleted', address: 'afas/Group/*' },
      { line: 6, class: 'changed', address: 'intacct-prod/SecurityLevel/*', attribute: 'permissions' },
      { line: 7, class: 'unmanaged', address: 'intacct-prod/SecurityLevel/Read Only' },
      { line: 8, address: 'p/Account/*' },
    ]);
  });

  it.each([
    ['bogus:p/K/n', '.rosterignore:2: unknown drift class "bogus": use changed:, deleted: or unmanaged:'],
    [
      'unmanaged:p/K/n status',
      '.rosterignore:2: an attribute applies only to changed drift, not to unmanaged',
    ],
    [
      'p/K',
      '.rosterignore:2: expected an address pattern PROVIDER/KIND/NAME or PROVIDER/* (* matches anything), got "p/K"',
    ],
    ['*', '.rosterignore:2: expected an address pattern'],
    ['*/*', '.rosterignore:2: expected an address pattern'],
    ['p/K/n a b', '.rosterignore:2: unexpected "b": a line is [CLASS:]ADDRESS [ATTRIBUTE]'],
    ['"p/K/n', '.rosterignore:2: unterminated quoted address'],
    ['p/K/n {bad}', '.rosterignore:2: "{bad}" is not an attribute name'],
    ['changed:', '.rosterignore:2: a class prefix needs an address pattern after it'],
  ])('rejects %j with file:line and what is wrong', (line, message) => {
    expect(() => parseIgnoreFile(`# ok\n${line}\n`, '.rosterignore')).toThrow(message);
  });
});

describe('baselineAccepts', () => {
  const baseline = parseIgnoreFile(
    ['p/Account/a status', 'unmanaged:p/Account/WS_HAND_*', 'deleted:p/Role/*', 'p/Account/b'].join('\n'),
    '.rosterignore',
  );

  it('accepts one attribute of changed drift only when the rule names it', () => {
    expect(baselineAccepts(baseline, 'changed', 'p/Account/a', 'status')).toBe(true);
    expect(baselineAccepts(baseline, 'changed', 'p/Account/a', 'roles')).toBe(false);
    expect(baselineAccepts(baseline, 'deleted', 'p/Account/a')).toBe(false);
  });

  it('limits a rule to its class, and applies a rule without class or attribute to every class', () => {
    expect(baselineAccepts(baseline, 'unmanaged', 'p/Account/WS_HAND_1')).toBe(true);
    expect(baselineAccepts(baseline, 'changed', 'p/Account/WS_HAND_1', 'status')).toBe(false);
    expect(baselineAccepts(baseline, 'deleted', 'p/Role/r')).toBe(true);
    expect(baselineAccepts(baseline, 'unmanaged', 'p/Role/r')).toBe(false);
    for (const cls of ['changed', 'deleted', 'unmanaged'] as const)
      expect(baselineAccepts(baseline, cls, 'p/Account/b', 'x')).toBe(true);
    expect(baselineAccepts(undefined, 'deleted', 'p/Account/b')).toBe(false);
  });
});

describe('globMatches', () => {
  it('treats * as any run of characters (across /) and everything else literally', () => {
    expect(globMatches('p/*', 'p/Account/a')).toBe(true);
    expect(globMatches('p/Account/a.b', 'p/Account/aXb')).toBe(false);
    expect(globMatches('p/Account/(x)', 'p/Account/(x)')).toBe(true);
    expect(globMatches('p/Account/a', 'p/Account/ab')).toBe(false);
  });
});

describe('loadDriftBaseline', () => {
  it('reads .rosterignore from the project directory when present, and requires --ignore-file to exist', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-ignore-'));
    expect(loadDriftBaseline({ cwd: dir, projectDir: dir })).toBeUndefined();
    writeFileSync(path.join(dir, '.rosterignore'), 'p/Account/a\n');
    expect(loadDriftBaseline({ cwd: dir, projectDir: dir })).toEqual({
      file: '.rosterignore',
      rules: [{ line: 1, address: 'p/Account/a' }],
    });
    expect(() => loadDriftBaseline({ cwd: dir, projectDir: dir, ignoreFile: 'missing' })).toThrow(
      'ignore file missing does not exist',
    );
  });
});
