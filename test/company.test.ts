import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// examples/company: Intacct, Autotask, AFAS, Getint and Proliance on their sandboxes, wired together: a Getint
// connection signs in as the Autotask API user roster manages (app type `other`).

const AUTOTASK_USER = 'autotask-prod/ServiceAccount/office-protect';
const GETINT_LINK = 'getint/Connector/autotask-alerts';

describe('examples/company', () => {
  it('plans across providers in dependency order and applies unattended with --sandbox-operator', async () => {
    const dir = copyExample('company');
    const plan = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout) as {
      changes: Array<{ index: number; address: string; dependsOn: number[]; execution: string }>;
      diagnostics: unknown[];
    };
    expect(p.diagnostics).toEqual([]);
    const user = p.changes.find((c) => c.address === AUTOTASK_USER)!;
    const link = p.changes.find((c) => c.address === GETINT_LINK)!;
    // The Getint connection waits for the Autotask API user it signs in as.
    expect(link.dependsOn).toContain(user.index);
    expect(new Set(p.changes.map((c) => c.address.split('/')[0]))).toEqual(
      new Set(['intacct-sandbox', 'autotask-prod', 'afas-sandbox', 'getint', 'proliance']),
    );

    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const lines = apply.stderr.split('\n');
    const userDone = lines.findIndex((l) => l.startsWith(`${AUTOTASK_USER}: create done`));
    const linkStart = lines.findIndex((l) => l.startsWith(`${GETINT_LINK}: create…`));
    expect(userDone).toBeGreaterThanOrEqual(0);
    expect(linkStart).toBeGreaterThan(userDone);

    // The username Autotask generated went to the Getint connection, and nowhere on disk in roster's files.
    const sandbox = JSON.parse(
      readFileSync(path.join(dir, '.roster/sandbox/getint/getint.json'), 'utf8'),
    ) as {
      connections: Array<{ name: string; account: unknown }>;
    };
    const username = sandbox.connections.find((c) => c.name === 'Autotask (alerts)')!.account;
    expect(username).toMatch(/@roster-sandbox\.local$/);
    expect(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')).not.toContain(String(username));

    // The Proliance integration account was made by the operator and read back from the export.
    expect(readFileSync(path.join(dir, '.roster/sandbox/proliance/export/accounts.csv'), 'utf8')).toMatch(
      /^Staff,S-1002,procore-sync,Integration Account,/m,
    );

    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
    const test = await roster(['test'], { cwd: dir });
    expect(test.code, test.stdout).toBe(0);
    expect(test.stdout).toMatch(new RegExp(`${AUTOTASK_USER}.*PASS`));
  });

  it('refuses a Getint connection on a personal account, at its manifest line', async () => {
    const dir = copyExample('company');
    const file = path.join(dir, 'getint-connections.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('getint-sync@example.com', 'jane.doe@example.com'),
    );
    const r = await roster(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^getint-connections\.yaml:15:\d+: error\[getint\.personal-account\]: jane\.doe@example\.com looks like a person’s own account/m,
    );
  });
});
