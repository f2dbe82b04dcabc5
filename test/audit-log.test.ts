import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, project, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// `.roster/audit.jsonl`: who changed which account when, one line per apply start/finish and per
// operation with its outcome.

type Line = Record<string, unknown>;

function audit(dir: string): Line[] {
  return readFileSync(path.join(dir, '.roster/audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

/** sha256 of a JSON value with sorted keys (the canonical form roster hashes plans in). */
function canonicalHash(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(sort(value)))
    .digest('hex')}`;
}

describe('the audit log', () => {
  it('records the actor, the plan hash and every operation with its outcome and id', async () => {
    const dir = copyExample('quickstart');
    const plan = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    const planned = JSON.parse(plan.stdout) as { changes: Array<{ address: string; action: string }> };
    const r = await roster(['apply', '--auto-approve'], {
      cwd: dir,
      env: { ROSTER_ACTOR: 'alice@example.com' },
    });
    expect(r.code, r.stderr).toBe(0);

    const file = path.join(dir, '.roster/audit.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = audit(dir);
    expect(
      lines.every((l) => l.actor === 'alice@example.com' && !Number.isNaN(Date.parse(String(l.at)))),
    ).toBe(true);
    expect(new Set(lines.map((l) => l.runId)).size).toBe(1);
    const [start, ...rest] = lines;
    const finish = rest.pop();
    expect(start).toMatchObject({ type: 'apply-start', source: 'plan', changes: planned.changes.length });
    expect(String(start!.planHash)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(finish).toMatchObject({
      type: 'apply-finish',
      planHash: start!.planHash,
      outcome: 'complete',
      counts: { done: planned.changes.length, failed: 0, pending: 0, skipped: 0 },
    });
    expect(rest.map((l) => [l.type, l.address, l.action, l.outcome]).sort()).toEqual(
      planned.changes.map((c) => ['operation', c.address, c.action, 'done']).sort(),
    );
    const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as {
      resources: Record<string, { id: string }>;
    };
    for (const l of rest) expect(l.id).toBe(state.resources[String(l.address)]?.id);

    // A saved plan: the hash is that of the plan document as applied.
    writeFileSync(
      path.join(dir, 'more.yaml'),
      readFileSync(path.join(dir, 'service-accounts.yaml'), 'utf8')
        .split('---')[0]!
        .replace(/invoice-portal/g, 'ap-portal')
        .replace(/INVOICE_PORTAL/g, 'AP_PORTAL'),
    );
    expect((await roster(['plan', '--out', 'plan.json'], { cwd: dir })).code).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as Record<string, unknown>;
    expect((await roster(['apply', 'plan.json'], { cwd: dir })).code).toBe(0);
    const second = audit(dir).filter((l) => l.runId !== start!.runId);
    const { checksum: _c, signature: _s, ...doc } = saved;
    expect(second[0]).toMatchObject({
      type: 'apply-start',
      source: path.join(dir, 'plan.json'),
      planHash: canonicalHash(doc),
    });
    expect(second.at(-1)).toMatchObject({ type: 'apply-finish', outcome: 'complete' });
  });

  it('shows a failing operation as failed, with its message', async () => {
    const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;
    const user = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: used, provider: books, labels: { owner: it, purpose: test } }
spec:
  id: WS_USED
  userName: used
  email: ws-used@example.com
  contact: { firstName: Web, lastName: Used, email: ws-used@example.com }
  userType: business
  adminPrivileges: off
lifecycle: { onRemove: delete }
`;
    const dir = project({ 'p.yaml': provider, 'u.yaml': user });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    // The integration signs in once: Intacct then refuses to delete the user.
    const server = await serveSandbox(dir, 'books');
    try {
      await new IntacctApi(server.url, undefined, server.token).login('WS_USED');
    } finally {
      await server.stop();
    }
    writeFileSync(path.join(dir, 'u.yaml'), '');
    const r = await roster(['apply', '--auto-approve'], { cwd: dir, env: { ROSTER_ACTOR: 'bob' } });
    expect(r.code).toBe(1);
    const lines = audit(dir).filter((l) => l.actor === 'bob');
    const op = lines.find((l) => l.type === 'operation');
    expect(op).toMatchObject({ address: 'books/ServiceAccount/used', action: 'delete', outcome: 'failed' });
    expect(String(op!.message)).toMatch(/activated|used|logged in/i);
    expect(lines.at(-1)).toMatchObject({ type: 'apply-finish', outcome: 'failed', counts: { failed: 1 } });
  });
});
