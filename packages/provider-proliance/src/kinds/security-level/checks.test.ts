import { describe, expect, it } from 'vitest';
import { role } from '../kinds.testing.js';
import { checkSecurityLevel } from './checks.js';

describe('SecurityLevel checks', () => {
  it('refuses Security Permissions as a permission area, at its pointer', () => {
    const d = checkSecurityLevel({
      name: 'x',
      spec: { ...role, permissions: { 'security permissions': ['Read'] } },
    }).diagnostics;
    expect(d).toEqual([
      {
        severity: 'error',
        code: 'proliance.security-permissions-area',
        message:
          'security role Integration - Project Sync: give Security Permissions with securityPermissions: true|false, not as a permission area (roster checks which accounts hold it)',
        path: '/permissions/security permissions',
      },
    ]);
  });

  it('refuses an area listed twice in different case', () => {
    const d = checkSecurityLevel({
      name: 'x',
      spec: { ...role, permissions: { Projects: ['Read'], projects: ['Update'] } },
    }).diagnostics;
    expect(d.map((x) => [x.code, x.path])).toEqual([
      ['proliance.duplicate-permission-area', '/permissions/projects'],
    ]);
  });
});
