import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';

describe('roster providers', () => {
  it('lists each kind with how each operation is done and what is verified', async () => {
    const r = await roster(['providers'], { cwd: project({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('intacct — Sage Intacct');
    expect(r.stdout).toMatch(
      /ServiceAccount: .*\n\s+operations: create: api, read: api, update: api, delete: api; removal: deactivate \(status: "inactive"\); natural key: id; role: account/,
    );
    expect(r.stdout).toMatch(/- id: verified, never changed \[immutable\]/);
    expect(r.stdout).toMatch(/- status: verified, changed by api \[createValues: "active"\|"locked"\]/);
    // Guarded privileges say what leaving them out of a manifest means.
    expect(r.stdout).toMatch(
      /- roles: verified, changed by api \[set, privilege, ref: SecurityLevel, absent: \[\]\]/,
    );
    expect(r.stdout).toMatch(/- adminPrivileges: verified, changed by api \[privilege, absent: "off"\]/);
    const json = await roster(['providers', '--format', 'json'], { cwd: project({}) });
    const info = JSON.parse(json.stdout) as Array<{
      type: string;
      kinds: Array<{ kind: string; role: string }>;
    }>;
    expect(info[0]!.kinds.map((k) => `${k.kind} ${k.role}`).sort()).toEqual([
      'Group group',
      'SecurityLevel role',
      'ServiceAccount account',
    ]);
    expect(info.map((p) => p.type)).toEqual(['intacct', 'autotask', 'afas', 'getint', 'proliance', 'scim']);
  });

  it('says which operations are manual and which attributes rest on attestation', async () => {
    const r = await roster(['providers'], { cwd: project({}) });
    const autotask = r.stdout.slice(r.stdout.indexOf('autotask — Autotask PSA'), r.stdout.indexOf('afas — '));
    expect(autotask).toMatch(
      /operations: create: manual, read: api, update: api, delete: none; removal: deactivate/,
    );
    expect(autotask).toMatch(/- securityLevel: attested, changed by manual/);
    expect(autotask).toMatch(
      /- integrationVendor: attested, a change replaces the object \[fixedAtCreation\]/,
    );
    expect(autotask).toMatch(/- credentials: roster only \(never sent\)/);
    expect(autotask).toMatch(/SecurityLevel: .*\n\s+operations: create: manual, read: none, update: manual/);
    const afas = r.stdout.slice(r.stdout.indexOf('afas — AFAS Profit'));
    expect(afas).toMatch(/- connector: attested, changed by manual/);
    expect(afas).toMatch(/Connector: .*\n\s+operations: create: manual/);
  });
});
