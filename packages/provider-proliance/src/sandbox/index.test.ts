import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@roster/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProlianceConnection } from '../connection.js';
import { securityLevelApi } from '../kinds/security-level/api.js';
import provider from '../provider.js';
import sandbox from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'proliance-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = { type: 'proliance', endpoint: 'sandbox' };
const connect = (cfg: Record<string, unknown>) =>
  provider.connect({ name: 'proliance', config: cfg, credentials: {}, readOnly: false, log: silentLogger });
const roles = async (connection: ProlianceConnection) =>
  (await securityLevelApi.list!({ kind: 'SecurityLevel', connection })).objects.map((o) => o.naturalKey);

describe('the Proliance sandbox entry', () => {
  it('starts the registers; the connection reads the export they write, and their console does manual steps', async () => {
    const started = await sandbox.start({
      name: 'proliance',
      config,
      credentials: {},
      dir,
      log: silentLogger,
    });
    try {
      expect(started.config).toEqual({
        type: 'proliance',
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        export: { dir: path.join(dir, 'export'), lock: path.join(dir, 'proliance.lock') },
      });
      const conn = await connect(started.config);
      expect(await roles(conn)).toEqual(['Administrator', 'Project Manager']);
      const ui = sandbox.console({
        name: 'proliance',
        config: started.config,
        token: started.consoleToken!,
        log: silentLogger,
      });
      const made = await ui.operate({
        kind: 'SecurityLevel',
        operation: 'create',
        address: 'proliance/SecurityLevel/sync',
        name: 'sync',
        naturalKey: 'Sync',
        attributes: { name: 'Sync', permissions: { Projects: ['Read'] }, securityPermissions: false },
      });
      expect(made.object?.naturalKey).toBe('Sync');
      expect(await roles(conn)).toContain('Sync');
      await conn.close();
    } finally {
      await started.close();
    }
  });

  it('is the only way to endpoint: sandbox: connect starts no registers', async () => {
    await expect(connect(config)).rejects.toThrow(/started by @roster\/provider-proliance\/sandbox/);
  });
});
