import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consoleHeaders } from '@roster/sim-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { GetintConnection } from '../connection.js';
import { GetintOperator } from './operator.js';
import { startConsole } from './server.js';
import { SandboxStore } from './store.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function sandbox() {
  const dir = mkdtempSync(path.join(tmpdir(), 'getint-sandbox-'));
  const server = await startConsole(new SandboxStore(dir));
  closers.push(() => server.close());
  return {
    dir,
    url: server.url,
    token: server.consoleToken,
    ui: new GetintOperator(server.url, server.consoleToken),
  };
}

const base = { kind: 'Connector', address: 'getint/Connector/jira', name: 'jira', naturalKey: 'Jira' };

describe('Getint sandbox', () => {
  it('does each manual step through the console, as a person would in Workflows › Connections', async () => {
    const { dir, url, token, ui } = await sandbox();
    const attributes = {
      name: 'Jira',
      app: 'jira',
      url: 'https://x.atlassian.net',
      account: { external: { system: 'jira', user: 'sync@x.com' } },
    };
    const made = await ui.operate({ ...base, operation: 'create', attributes });
    expect(made.object).toEqual({ id: '1', naturalKey: 'Jira', attributes: {} });
    await expect(ui.operate({ ...base, operation: 'create', attributes })).rejects.toThrow(
      /already exists \(HTTP 409\)/,
    );
    await ui.operate({ ...base, operation: 'update', id: '1', attributes, changes: { sharing: 'use' } });
    await ui.operate({ ...base, operation: 'rotate', id: '1', attributes });
    const shown = (await (
      await fetch(`${url}/__sandbox/connections/1`, { headers: consoleHeaders(token) })
    ).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ name: 'Jira', sharing: 'use', app: 'jira' });
    await expect(
      ui.operate({
        ...base,
        operation: 'reconfirm',
        id: '1',
        attributes: { ...attributes, sharing: 'edit' },
      }),
    ).rejects.toThrow(/different sharing/);
    await ui.operate({ ...base, operation: 'delete', id: '1', attributes });
    expect(JSON.parse(readFileSync(path.join(dir, 'getint.json'), 'utf8')).connections).toEqual([]);
  });

  it('refuses what Getint refuses, and has no API to call', async () => {
    const { url, token, ui } = await sandbox();
    const res = await fetch(`${url}/__sandbox/connections`, {
      method: 'POST',
      headers: consoleHeaders(token),
      body: JSON.stringify({ name: 'x' }),
    });
    expect(res.status).toBe(400);
    await ui.operate({
      ...base,
      operation: 'create',
      attributes: { name: 'Jira', app: 'jira', url: 'https://x', account: 'a' },
    });
    const patch = await fetch(`${url}/__sandbox/connections/1`, {
      method: 'PATCH',
      headers: consoleHeaders(token),
      body: JSON.stringify({ app: 'servicenow' }),
    });
    expect(patch.status).toBe(400);
    // No management API: the session to Getint has no operation, and makes no calls.
    const session = new GetintConnection();
    for (const m of ['list', 'read', 'create', 'update', 'delete', 'rotate', 'test', 'operate'])
      expect(m in session, m).toBe(false);
    expect(session.stats()).toEqual({ apiCalls: 0, throttled: 0 });
  });
});
