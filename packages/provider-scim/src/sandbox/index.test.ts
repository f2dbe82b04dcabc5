import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret, silentLogger } from '@roster/core';
import { describe, expect, it } from 'vitest';
import provider from '../provider.js';
import sandbox from './index.js';

describe('the ./sandbox entry, as the CLI uses it', () => {
  it('starts the simulator, gives the address to connect to, persists in its directory, and closes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scim-sandbox-'));
    const token = { token: new Secret('sandbox-entry-token', 'test') };
    const run = async (userName?: string) => {
      const started = await sandbox.start({
        name: 'tools',
        config: { type: 'scim', endpoint: 'sandbox' },
        credentials: token,
        dir,
        log: silentLogger,
      });
      expect(started.config.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const conn = await provider.connect({
        name: 'tools',
        config: started.config,
        credentials: token,
        readOnly: false,
        log: silentLogger,
      });
      const kind = provider.kinds.ServiceAccount;
      if (userName)
        await kind.api!.create!({
          kind: 'ServiceAccount',
          address: 'tools/ServiceAccount/a',
          attributes: { userName },
          idempotencyKey: 'k',
          connection: conn,
        });
      const { objects } = await kind.api!.list!({ kind: 'ServiceAccount', connection: conn });
      await conn.close();
      await started.close();
      return objects.map((o) => o.naturalKey);
    };
    try {
      expect(await run('svc-kept')).toEqual(['svc-kept']);
      // A new process on the same directory finds what the last one made.
      expect(await run()).toEqual(['svc-kept']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
