import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, copyExample, editFile, lineOfIn, serveSandbox } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// AFAS Profit creates user groups, app connectors and user tokens only in its UI; roster inserts
// the token user through KnUser and guides the rest. The built CLI runs against the AFAS sandbox.

const USER = 'afas-sandbox/ServiceAccount/ws-invoice-sync';

describe('AFAS guided apply', () => {
  it('warns, at the manifest line, for every account that could not exchange data', async () => {
    const dir = copyExample('afas');
    const accounts = path.join(dir, 'service-accounts.yaml');
    editFile(accounts, 'groups: [{ ref: invoice-app-users }]', 'groups: []');
    editFile(path.join(dir, 'access.yaml'), 'blocked: false', 'blocked: true');
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^service-accounts\.yaml:18:\d+: warning\[afas\.access-not-in-group\]: 12345\.WS-INVOICE-SYNC cannot exchange data: it is not a member of user group INV-APP/m,
    );
    expect(r.stderr).toMatch(
      /^service-accounts\.yaml:19:\d+: warning\[afas\.access-connector-blocked\]: .*is blocked/m,
    );
    const plan = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    const diagnostics = (JSON.parse(plan.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics;
    expect(diagnostics.map((d) => d.code).sort()).toEqual([
      'afas.access-connector-blocked',
      'afas.access-not-in-group',
    ]);

    // A member of an app connector's group needs Profit Windows or InSite: an error, nothing applied.
    editFile(accounts, 'inSite: true', 'inSite: false');
    const bad = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^service-accounts\.yaml:17:\d+: error\[afas\.application-required\]/m);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    // The e-mail address is roster's rule (the OTP token flow mails to it), not AFAS's: it says so.
    editFile(accounts, 'inSite: false', 'inSite: true');
    editFile(accounts, '  email: ws-invoice-sync@example.com\n', '');
    const noEmail = await roster(['validate'], { cwd: dir });
    expect(noEmail.code).toBe(1);
    // No email line: the error stands at the first line of the spec (the attribute has none).
    expect(noEmail.stderr).toMatch(
      new RegExp(
        `^service-accounts\\.yaml:${lineOfIn(accounts, 'userId:')}:\\d+: error\\[afas\\.roster-email-required\\]: 12345\\.WS-INVOICE-SYNC needs an e-mail address \\(roster's rule, not AFAS's`,
        'm',
      ),
    );
  });

  it('runs the API steps, hands out the UI steps, and completes them with the sandbox operator', async () => {
    const dir = copyExample('afas');
    // Linked to a person (KnUser BcCo), read back from Profit_Users' PersonId.
    editFile(
      path.join(dir, 'service-accounts.yaml'),
      'name: Invoice portal sync',
      "name: Invoice portal sync\n  person: '100234'",
    );
    const first = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const runbook = readFileSync(path.join(dir, '.roster/runbook.md'), 'utf8');
    expect(runbook).toContain('AFAS Profit');
    expect(runbook).toMatch(/Authorisation tool/);
    expect(runbook).toContain('INV-APP');
    expect(runbook).toContain(path.join(dir, 'secrets/ws-invoice-sync.token'));

    const done = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.stderr).toContain('stored the token the system showed once');
    const tokenFile = path.join(dir, 'secrets/ws-invoice-sync.token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThan(8);

    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
    const show = JSON.parse((await roster(['state', 'show', USER], { cwd: dir })).stdout) as {
      provenance: Record<string, string>;
    };
    expect(show.provenance.email).toBe('verified');
    expect(show.provenance.person).toBe('verified');
    expect(show.provenance.connector).toMatch(/^attested by /);

    // The simulator agrees: the user can now exchange data through the app connector.
    const served = await serveSandbox(dir, 'afas-sandbox');
    try {
      const connectors = (await (
        await fetch(`${served.url}/__sandbox/app-connectors`, { headers: served.headers })
      ).json()) as Array<{
        id: string;
        description: string;
        blocked: boolean;
      }>;
      const connector = connectors.find((c) => c.description === 'Invoice portal')!;
      expect(connector.blocked).toBe(false);
      const access = (await (
        await fetch(
          `${served.url}/__sandbox/access?userId=12345.WS-INVOICE-SYNC&appConnector=${connector.id}`,
          { headers: served.headers },
        )
      ).json()) as { allowed: boolean; problems: string[] };
      expect(access).toMatchObject({ allowed: true, problems: [] });
    } finally {
      await served.stop();
    }

    // The token appears nowhere but its file: not in output, state, runbook or the sandbox.
    for (const text of [first.stdout, first.stderr, done.stdout, done.stderr])
      expect(text).not.toContain(token);
    for (const f of allFiles(dir))
      if (f !== tokenFile) expect(readFileSync(f, 'utf8'), f).not.toContain(token);
  });
});
