import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../diagnostics.js';
import { LocalStateBackend } from './local-backend.js';
import {
  createWorkspace,
  DEFAULT_WORKSPACE,
  deleteWorkspace,
  isWorkspaceBackend,
  listWorkspaces,
  requireWorkspace,
} from './workspaces.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'roster-ws-'));
  dir = join(root, '.roster');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const local = (workspace?: string) =>
  new LocalStateBackend({ dir, ...(workspace !== undefined ? { workspace } : {}) });

async function withOneResource(b: LocalStateBackend): Promise<void> {
  const doc = await b.read();
  await b.write(
    {
      ...doc,
      serial: doc.serial + 1,
      resources: {
        'p/Group/g': {
          provider: 'p',
          kind: 'Group',
          name: 'g',
          id: '1',
          naturalKey: 'G',
          attributes: {},
          dependencies: [],
        },
      },
    },
    doc.serial,
  );
}

describe('workspaces on the local backend', () => {
  it('always has default, stored or not; new creates an empty state of serial 1 in workspaces/<name>', async () => {
    const b = local();
    expect(isWorkspaceBackend(b)).toBe(true);
    expect(await listWorkspaces(b)).toEqual([DEFAULT_WORKSPACE]);
    await createWorkspace(b, 'staging');
    await createWorkspace(b, 'prod');
    expect(await listWorkspaces(b)).toEqual(['default', 'prod', 'staging']);
    const staging = local('staging');
    expect(staging.location).toBe(join(dir, 'workspaces', 'staging', 'state.json'));
    const doc = await staging.read();
    expect(doc.serial).toBe(1);
    expect(doc.resources).toEqual({});
    // Its own lineage and lock: default is untouched.
    expect((await b.read()).serial).toBe(0);
    expect(staging.lockPath).toBe(join(dir, 'workspaces', 'staging', 'state.lock'));
  });

  it('refuses to create default, an existing workspace, or an invalid name', async () => {
    const b = local();
    await createWorkspace(b, 'staging');
    await expect(createWorkspace(b, 'staging')).rejects.toThrow(/already exists/);
    await expect(createWorkspace(b, 'default')).rejects.toThrow(/always exists/);
    await expect(createWorkspace(b, 'Bad Name')).rejects.toThrow(UserError);
    await expect(createWorkspace(b, '../up')).rejects.toThrow(/not a valid name/);
  });

  it('refuses to select a workspace that does not exist, naming the existing ones', async () => {
    await createWorkspace(local(), 'staging');
    await expect(requireWorkspace(local('stagin'))).rejects.toThrow(
      /workspace stagin does not exist in .*; existing workspaces: default, staging \(did you mean staging\?\); to create it: roster workspace new stagin/,
    );
    await requireWorkspace(local('staging'));
    await requireWorkspace(local('default'));
  });

  it('deletes an empty workspace and its directory; refuses default, the current one and an unknown one', async () => {
    const b = local();
    await createWorkspace(b, 'staging');
    await expect(deleteWorkspace({ backend: b, name: 'default', current: 'prod' })).rejects.toThrow(
      /default cannot be deleted/,
    );
    await expect(deleteWorkspace({ backend: b, name: 'staging', current: 'staging' })).rejects.toThrow(
      /is the current workspace/,
    );
    await expect(deleteWorkspace({ backend: b, name: 'stagng', current: 'default' })).rejects.toThrow(
      /does not exist.*did you mean staging/,
    );
    expect(await deleteWorkspace({ backend: b, name: 'staging', current: 'default' })).toBe(0);
    expect(await listWorkspaces(b)).toEqual(['default']);
    expect(await readdir(join(dir, 'workspaces'))).toEqual([]);
  });

  it('refuses a workspace that still holds resources unless forced', async () => {
    const b = local();
    await createWorkspace(b, 'staging');
    await withOneResource(local('staging'));
    await expect(deleteWorkspace({ backend: b, name: 'staging', current: 'default' })).rejects.toThrow(
      /still holds 1 resource \(p\/Group\/g\).*--force/,
    );
    expect(await listWorkspaces(b)).toEqual(['default', 'staging']);
    expect(await deleteWorkspace({ backend: b, name: 'staging', current: 'default', force: true })).toBe(1);
    expect(await listWorkspaces(b)).toEqual(['default']);
  });

  it('refuses to delete a workspace another run holds locked', async () => {
    const b = local();
    await createWorkspace(b, 'staging');
    const other = local('staging');
    const lock = await other.lock({ operation: 'apply' });
    await expect(deleteWorkspace({ backend: b, name: 'staging', current: 'default' })).rejects.toThrow(
      /locked/,
    );
    await other.unlock(lock.id);
    expect(await listWorkspaces(b)).toEqual(['default', 'staging']);
  });
});
