import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import type { ClientTuning } from '../client/client.js';
import type { AfasConnection } from '../connection.js';
import provider from '../provider.js';
import sandbox from './index.js';
import { kindCalls, openSandbox, quiet } from './sandbox.testing.js';

const fast: ClientTuning = { sleep: async () => {}, pageSize: 3 };

describe('embedded sandbox (endpoint: sandbox)', () => {
  it('runs the simulator in-process, persisted under the sandbox directory, with no secret in its files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'afas-sandbox-'));
    const first = await openSandbox({ config: { environmentId: '54321' }, dir }, fast);
    const calls = kindCalls(first.conn);
    await first.operate({
      kind: 'Group',
      operation: 'create',
      address: 'afas/Group/g',
      name: 'g',
      naturalKey: 'G',
      attributes: { id: 'G', description: 'G' },
    });
    await calls.create({
      kind: 'ServiceAccount',
      address: 'afas/ServiceAccount/ws',
      attributes: { userId: 'WS', email: 'ws@example.com', inSite: true, groups: [{ ref: 'G' }] },
      idempotencyKey: 'k',
    });
    const app = (
      await first.operate({
        kind: 'Connector',
        operation: 'create',
        address: 'afas/Connector/a',
        name: 'a',
        naturalKey: 'A',
        attributes: { description: 'A', group: { ref: 'G' } },
      })
    ).object!;
    const r = await first.operate({
      kind: 'ServiceAccount',
      operation: 'update',
      address: 'afas/ServiceAccount/ws',
      name: 'ws',
      naturalKey: 'WS',
      id: 'WS',
      attributes: { userId: 'WS', connector: { ref: 'A', id: app.id } },
      changes: { connector: { ref: 'A', id: app.id } },
    });
    const data = /<data>(.*)<\/data>/.exec(r.secrets!.token!.reveal())![1]!;
    expect(first.conn.stats().apiCalls).toBeGreaterThan(0);
    // The environment number named the simulator's environment; the connection reaches its address.
    expect(first.started.config).toEqual({ type: 'afas', endpoint: first.sim.url });
    await first.close();
    expect(readdirSync(dir)).toContain('afas-54321.json');
    for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(data);

    const second = await openSandbox({ config: { environmentId: '54321' }, dir }, fast);
    expect((await kindCalls(second.conn).list('ServiceAccount')).map((o) => o.naturalKey)).toEqual(['WS']);
    await second.close();
  });

  it('with declared credentials, the embedded sandbox accepts that token only', async () => {
    const token = new Secret('<token><version>1</version><data>ABCD</data></token>', 'env:AFAS_TOKEN');
    const s = await openSandbox({ credentials: { token } }, fast);
    expect((await kindCalls(s.conn).list('Group')).map((o) => o.naturalKey)).toEqual(['Everybody']);
    const other = new Secret('<token><version>1</version><data>OTHER</data></token>', 'env:AFAS_TOKEN');
    const refused = await s.connect({ token: other });
    await expect(kindCalls(refused).list('Group')).rejects.toThrow(/401/);
    await s.close();
  });

  it('is what the CLI loads: start, connect to the address it gives, do a manual step, close', async () => {
    const token = new Secret('<token><version>1</version><data>ABCD</data></token>', 'env:AFAS_TOKEN');
    const req = {
      name: 'afas',
      config: { type: 'afas', endpoint: 'sandbox' },
      credentials: { token },
      log: quiet,
    };
    const started = await sandbox.start(req);
    const conn = await provider.connect({ ...req, config: started.config, readOnly: false });
    const console = sandbox.console!({
      name: 'afas',
      config: started.config,
      token: started.consoleToken!,
      log: quiet,
    });
    const made = await console.operate({
      kind: 'Group',
      operation: 'create',
      address: 'afas/Group/g',
      name: 'g',
      naturalKey: 'G',
      attributes: { id: 'G', description: 'Guests' },
    });
    expect(made.object).toEqual({ id: 'G', naturalKey: 'G', attributes: { id: 'G', description: 'Guests' } });
    expect((await kindCalls(conn as AfasConnection).read('Group', 'G'))?.attributes.description).toBe(
      'Guests',
    );
    // Without the console's secret, no manual step is done.
    const stranger = sandbox.console!({ name: 'afas', config: started.config, log: quiet });
    await expect(
      stranger.operate({
        kind: 'Group',
        operation: 'delete',
        address: 'afas/Group/g',
        name: 'g',
        naturalKey: 'G',
        attributes: {},
      }),
    ).rejects.toThrow(/needs its per-run secret/);
    await conn.close();
    await started.close();
    await expect(fetch(String(started.config.endpoint))).rejects.toThrow();
  });
});
