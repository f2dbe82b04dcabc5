import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputValidator, schemaErrors } from '../packages/core/src/render/output-schemas.testing.js';
import { copyExample, readJson, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

const CHANGED = 'intacct-sandbox/ServiceAccount/invoice-portal';
const DELETED = 'intacct-sandbox/ServiceAccount/bi-export';
const UNMANAGED = 'intacct-sandbox/ServiceAccount/HAND_USER_000001';

/**
 * The quickstart applied, then three things done behind roster's back over the sandbox's HTTP API:
 * an attribute changed (invoice-portal made a full admin), a managed user deleted (bi-export), and
 * a web services user added by hand (HAND_USER_000001, through the admin console's seed route).
 */
async function driftedQuickstart(): Promise<string> {
  const dir = copyExample('quickstart');
  const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
  expect(apply.code, apply.stderr).toBe(0);
  const server = await serveSandbox(dir, 'intacct-sandbox');
  try {
    const api = new IntacctApi(server.url);
    await api.patchUser('WS_INVOICE_PORTAL', { adminPrivileges: 'full' });
    const del = await api.call('DELETE', `/objects/company-config/user/${await api.userKey('WS_BI_EXPORT')}`);
    expect(del.status, JSON.stringify(del.json)).toBe(204);
    const seed = await fetch(`${server.url}/__sandbox/seed`, {
      method: 'POST',
      headers: server.headers,
      body: JSON.stringify({ users: 1, prefix: 'HAND' }),
    });
    expect(seed.status).toBe(200);
  } finally {
    await server.stop();
  }
  return dir;
}

/** A private copy of a project, its state and sandbox included (drift only reads, but baselines differ). */
function clone(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'roster-drift-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

interface DriftJson {
  classes: Record<string, boolean>;
  drift: Array<{
    address: string;
    status: string;
    attributes: Array<{ path: string; expected: unknown; actual: unknown }>;
  }>;
  unmanaged: Array<{ address: string; id: string; naturalKey: string; attributes: Record<string, unknown> }>;
  ignored: Record<string, number>;
  ignoreFile?: string;
}

describe('roster drift: changed, deleted outside roster, unmanaged', () => {
  let base: string;
  beforeAll(async () => {
    base = await driftedQuickstart();
  }, 120_000);

  it('reports the three classes in text, JSON and Markdown, and exits 2', async () => {
    const text = await roster(['drift'], { cwd: base });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('Changed outside roster:');
    expect(text.stdout).toMatch(new RegExp(`# ${CHANGED} was changed outside roster by Admin at `));
    expect(text.stdout).toContain('~ adminPrivileges: "off" → "full"');
    expect(text.stdout).toContain(`Deleted outside roster:\n\n  # ${DELETED} was deleted outside roster`);
    expect(text.stdout).toContain(`Unmanaged (in the system, in no manifest):\n\n  + ${UNMANAGED} (id `);
    expect(text.stdout).toContain('Found: 1 changed, 1 deleted, 1 unmanaged.');

    const json = await roster(['drift', '--format', 'json'], { cwd: base });
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as DriftJson;
    const schema = outputValidator('drift');
    expect(schema(report), schemaErrors(schema)).toBe(true);
    expect(report.classes).toEqual({ changed: true, deleted: true, unmanaged: true });
    expect(report.drift.map((d) => [d.address, d.status])).toEqual([
      [DELETED, 'deleted'],
      [CHANGED, 'changed'],
    ]);
    expect(report.drift[1]!.attributes).toEqual([
      { path: '/adminPrivileges', expected: 'off', actual: 'full' },
    ]);
    expect(report.unmanaged).toHaveLength(1);
    expect(report.unmanaged[0]).toMatchObject({
      address: UNMANAGED,
      naturalKey: 'HAND_USER_000001',
      attributes: { id: 'HAND_USER_000001', status: 'active', adminPrivileges: 'off' },
    });
    expect(report.unmanaged[0]!.id).toMatch(/^\d+$/);
    expect(report.ignored).toEqual({ changed: 0, deleted: 0, unmanaged: 0 });

    const md = await roster(['drift', '--format', 'markdown'], { cwd: base });
    expect(md.code).toBe(2);
    // The footer names the state's serial; how many checkpoints the apply wrote depends on how
    // long it took (one per second or more), so the snapshot takes the serial from state.json.
    const { serial } = readJson<{ serial: number }>(path.join(base, '.roster', 'state.json'));
    const stable = md.stdout
      .replace(`state serial ${serial} ·`, 'state serial <serial> ·')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
      .replace(/\(id \d+\)/g, '(id <key>)')
      .replace(/\d+ API calls/, '<n> API calls');
    expect(stable).toMatchInlineSnapshot(`
      "<!-- roster-drift dir=. workspace=default -->
      ### roster drift · \`.\` · workspace \`default\` · 2 resources drifted, 1 unmanaged object

      **2 resources drifted** from what roster applied; **1 unmanaged object** exists in no manifest.

      | class | found | accepted |
      |---|---:|---:|
      | Changed outside roster | 1 | 0 attributes |
      | Deleted outside roster | 1 | 0 |
      | Unmanaged | 1 | 0 |

      ### Changed outside roster

      - \`intacct-sandbox/ServiceAccount/invoice-portal\` changed by Admin at <time>:
        - \`adminPrivileges\`: expected "off", found "full"

      ### Deleted outside roster

      - \`intacct-sandbox/ServiceAccount/bi-export\` was **deleted** outside roster

      To put them back as the manifests declare: \`roster apply\`. To accept them into state instead: \`roster apply --refresh-only\`, or list them in \`.rosterignore\`.

      ### Unmanaged (in the system, in no manifest)

      <details>
      <summary><code>intacct-sandbox/ServiceAccount/HAND_USER_000001</code> (id <key>), last changed by Admin at <time></summary>

      - \`adminPrivileges\`: "off"
      - \`contact\`:
        - firstName: Seeded
        - lastName: User 1
        - email: hand_user_000001@example.com
      - \`email\`: "hand_user_000001@example.com"
      - \`groups\`: []
      - \`id\`: "HAND_USER_000001"
      - \`roles\`: []
      - \`status\`: "active"
      - \`userName\`: "Seeded user 1"
      - \`userType\`: "business"

      </details>

      Declare them in a manifest (roster adopts an object by its natural key), remove them in the system, or accept them in \`.rosterignore\`.

      <sub>roster drift · state serial <serial> · <n> API calls</sub>
      "
    `);
  });

  it('switches each class off, and exits 0 when only switched-off classes drifted', async () => {
    const cases: Array<[string, string[]]> = [
      ['--no-changed', ['deleted', 'unmanaged']],
      ['--no-deleted', ['changed', 'unmanaged']],
      ['--no-unmanaged', ['changed', 'deleted']],
    ];
    for (const [flag, left] of cases) {
      const r = await roster(['drift', flag, '--format', 'json'], { cwd: base });
      expect(r.code, `${flag}: ${r.stderr}`).toBe(2);
      const report = JSON.parse(r.stdout) as DriftJson;
      const found = [...report.drift.map((d) => d.status), ...report.unmanaged.map(() => 'unmanaged')];
      expect(found.sort(), flag).toEqual(left);
      expect(report.classes[flag.slice('--no-'.length)]).toBe(false);
    }
    const none = await roster(['drift', '--no-changed', '--no-deleted', '--no-unmanaged'], { cwd: base });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No drift.');
    expect(none.stdout).toContain(
      'Not checked: changed (--no-changed), deleted (--no-deleted), unmanaged (--no-unmanaged).',
    );
  });

  it('accepts what .rosterignore baselines, says how much, and reports the rest', async () => {
    const dir = clone(base);
    writeFileSync(
      path.join(dir, '.rosterignore'),
      [
        '# accepted on 2026-11-01 after review',
        `unmanaged:intacct-sandbox/ServiceAccount/HAND_*`,
        `${DELETED}`,
        '',
      ].join('\n'),
    );
    const r = await roster(['drift'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('~ adminPrivileges: "off" → "full"');
    expect(r.stdout).not.toContain(UNMANAGED);
    expect(r.stdout).not.toContain('Deleted outside roster');
    expect(r.stdout).toContain('2 accepted by .rosterignore (1 deleted, 1 unmanaged).');

    // One attribute more, and nothing is left: exit 0, the counts still shown.
    writeFileSync(path.join(dir, 'accepted.ignore'), `${CHANGED} adminPrivileges\nintacct-sandbox/*\n`);
    const all = await roster(['drift', '--ignore-file', 'accepted.ignore', '--format', 'json'], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout) as DriftJson;
    const schema = outputValidator('drift');
    expect(schema(report), schemaErrors(schema)).toBe(true);
    expect(report.drift).toEqual([]);
    expect(report.unmanaged).toEqual([]);
    expect(report.ignored).toEqual({ changed: 1, deleted: 1, unmanaged: 1 });
    expect(report.ignoreFile).toBe('accepted.ignore');
  });

  it('refuses a malformed .rosterignore with file:line, before reading any system', async () => {
    const dir = clone(base);
    writeFileSync(path.join(dir, '.rosterignore'), `# ok\n${CHANGED} adminPrivileges\nadded:${UNMANAGED}\n`);
    const r = await roster(['drift'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'error: .rosterignore:3: unknown drift class "added": use changed:, deleted: or unmanaged:',
    );
    const missing = await roster(['drift', '--ignore-file', 'nope'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('error: ignore file nope does not exist');
  });
});

describe('accepting drift', () => {
  it('plan --refresh-only --out, then apply: the changed and deleted drift is in state, unmanaged objects are not', async () => {
    const dir = await driftedQuickstart();
    const plan = await roster(['plan', '--refresh-only', '--out', 'accept.json'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    // Plans never list unmanaged objects: only drift does.
    expect(plan.stdout).not.toContain('HAND_USER');
    const apply = await roster(['apply', 'accept.json'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);

    const after = await roster(['drift', '--no-unmanaged'], { cwd: dir });
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('No drift.');
    // The hand-made user is still unmanaged: accepting drift never adopts objects without a manifest.
    const still = await roster(['drift', '--format', 'json'], { cwd: dir });
    expect(still.code).toBe(2);
    expect((JSON.parse(still.stdout) as DriftJson).unmanaged.map((o) => o.address)).toEqual([UNMANAGED]);
    const normal = await roster(['plan'], { cwd: dir });
    expect(normal.stdout).not.toContain('HAND_USER');
  });
});
