import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RawApi } from './api.testing.js';
import { startSimulator } from './server.js';
import { SimStore } from './store.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'afas-sim-'));

describe('sandbox persistence', () => {
  it('keeps the environment across restarts, in a snapshot and a journal', async () => {
    const dir = tmp();
    const a = await startSimulator({ dir, environment: '12345' });
    const api = new RawApi(a.url, undefined, a.consoleToken);
    const { token } = await api.tokenUser('WS-P');
    await a.close();
    expect(readdirSync(dir).sort()).toEqual(['afas-12345.journal', 'afas-12345.json']);
    const b = await startSimulator({ dir, environment: '12345' });
    try {
      const again = new RawApi(b.url, undefined, b.consoleToken);
      expect((await again.get('Profit_Users')).json.rows.map((r: { UserId: string }) => r.UserId)).toEqual([
        'WS-P',
      ]);
      // Tokens survive as hashes: the issued token still works, and is nowhere in the files.
      expect((await again.get('Profit_Users', {}, token)).status).toBe(200);
      const data = /<data>(.*)<\/data>/.exec(token)![1]!;
      for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(data);
    } finally {
      await b.close();
    }
  });

  it('lets two processes share the directory: each sees what the other wrote', async () => {
    const dir = tmp();
    const one = await startSimulator({ dir });
    const two = await startSimulator({ dir });
    try {
      const a = new RawApi(one.url, undefined, one.consoleToken);
      const b = new RawApi(two.url, undefined, two.consoleToken);
      await a.ok('POST', '/groups', { id: 'SHARED', description: 'Shared' });
      await b.user('WS-B', {}, ['SHARED']);
      await Promise.all([a.user('WS-A1'), b.user('WS-B1'), a.user('WS-A2'), b.user('WS-B2')]);
      const ids = (await a.get('Profit_Users')).json.rows.map((r: { UserId: string }) => r.UserId);
      expect(ids.sort()).toEqual(['WS-A1', 'WS-A2', 'WS-B', 'WS-B1', 'WS-B2']);
      expect((await b.console('POST', '/groups', { id: 'shared', description: 'again' })).status).toBe(409);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('compacts the journal into the snapshot and reads it back the same', async () => {
    const dir = tmp();
    const sim = await startSimulator({ dir, compactBytes: 200 });
    const api = new RawApi(sim.url, undefined, sim.consoleToken);
    for (let i = 0; i < 10; i++) await api.user(`WS-${i}`);
    await sim.close();
    expect(readFileSync(path.join(dir, 'afas-00000.journal'), 'utf8').length).toBeLessThan(2000);
    const store = await SimStore.open({ dir, environment: '00000' });
    expect(store.table('user').size).toBe(10);
    await store.close();
  });

  it('undoes every write of a failed transaction', async () => {
    const store = await SimStore.open({ environment: 'mem' });
    await expect(
      store.transact((tx) => {
        tx.put('group', { key: 'g', id: 'G', description: 'x' });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(store.table('group').size).toBe(0);
    await store.close();
  });
});
