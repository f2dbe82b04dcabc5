import { describe, expect, it } from 'vitest';
import { matches, parseFilter } from './filter.js';

const user = {
  id: 'U-1',
  userName: 'Svc-Backup',
  active: true,
  externalId: 'Ext',
  emails: [
    { value: 'a@x.example', type: 'work', primary: true },
    { value: 'b@y.example', type: 'home' },
  ],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'IT' },
  meta: { lastModified: '2026-01-02T00:00:00Z' },
};
const hit = (f: string) => matches(user, parseFilter(f));

describe('the sandbox filter (RFC 7644 §3.4.2.2)', () => {
  it('compares case-insensitively except caseExact attributes, names case-insensitively', () => {
    expect(hit('userName eq "svc-backup"')).toBe(true);
    expect(hit('USERNAME EQ "SVC-BACKUP"')).toBe(true);
    expect(hit('externalId eq "ext"')).toBe(false);
    expect(hit('externalId eq "Ext"')).toBe(true);
    expect(hit('id eq "u-1"')).toBe(false);
  });

  it('has every operator, pr, not, grouping and precedence (and before or)', () => {
    expect(hit('userName sw "svc" and userName ew "up" and userName co "-"')).toBe(true);
    expect(hit('meta.lastModified gt "2026-01-01T00:00:00Z"')).toBe(true);
    expect(hit('displayName pr')).toBe(false);
    expect(hit('not (active eq false)')).toBe(true);
    expect(hit('userName eq "x" or userName eq "svc-backup" and active eq true')).toBe(true);
    expect(hit('(userName eq "x" or userName eq "svc-backup") and active eq false')).toBe(false);
    expect(hit('userName ne "x"')).toBe(true);
  });

  it('matches multi-valued attributes by any value, value paths within one value, extension attributes by URN', () => {
    expect(hit('emails.value eq "b@y.example"')).toBe(true);
    expect(hit('emails[type eq "work" and value co "@x."]')).toBe(true);
    expect(hit('emails[type eq "home" and value co "@x."]')).toBe(false);
    expect(hit('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "it"')).toBe(true);
  });

  it('refuses what is outside the grammar with invalidFilter', () => {
    for (const bad of [
      'userName xx "a"',
      'userName eq',
      '(userName eq "a"',
      'userName eq "a" extra',
      'active gt true',
    ])
      expect(() => hit(bad), bad).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
      );
    expect(hit('userName eq "a\\" or \\"b"')).toBe(false);
  });
});
