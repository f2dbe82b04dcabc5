import { describe, expect, it } from 'vitest';
import { eq, quoted } from './filter.js';

describe('filters', () => {
  it('quotes and escapes a value so it cannot end the literal', () => {
    expect(quoted('svc-backup')).toBe('"svc-backup"');
    expect(eq('userName', 'a" or userName pr or "')).toBe('userName eq "a\\" or userName pr or \\""');
    expect(eq('displayName', 'back\\slash')).toBe('displayName eq "back\\\\slash"');
  });
  it('refuses an attribute path that is not one', () => {
    expect(() => eq('userName pr or x', 'a')).toThrow(/not a SCIM attribute path/);
    expect(eq('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'IT')).toContain(
      ' eq "IT"',
    );
  });
});
