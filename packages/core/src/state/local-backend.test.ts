import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../diagnostics.js';
import { LocalStateBackend } from './local-backend.js';
import {
  LockedError,
  type LockInfo,
  SerialConflictError,
  STATE_FORMAT_VERSION,
  type StateDocument,
} from './types.js';

const posix = process.platform !== 'win32';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'roster-state-'));
  dir = join(root, '.roster');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function withResource(doc: StateDocument, name: string): StateDocument {
  const address = `autotask-prod/ServiceAccount/${name}`;
  return {
    ...doc,
    serial: doc.serial + 1,
    resources: {
      ...doc.resources,
      [address]: {
        provider: 'autotask-prod',
        kind: 'ServiceAccount',
        name,
        id: `id-${name}`,
        naturalKey: `${name}@example.com`,
        attributes: { email: `${name}@example.com`, active: true },
        dependencies: [],
      },
    },
  };
}

function lockRecord(over: Partial<LockInfo>): LockInfo {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    pid: process.pid,
    host: hostname(),
    user: 'someone',
    operation: 'apply',
    createdAt: '2024-05-01T10:00:00.000Z',
    ...over,
  };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await once(child, 'exit');
  return pid;
}

describe('LocalStateBackend state', () => {
  it('removes the temporary files a killed write left, once it holds the lock', async () => {
    const warn = vi.fn();
    const backend = new LocalStateBackend({ dir, logger: { info() {}, debug() {}, warn } });
    await backend.write(withResource(await backend.read(), 'alerts'), 0);
    // What SIGKILL between write-file-atomic's temp file and its rename leaves.
    const left = ['state.json.backup.2890154123', 'state.json.17', 'state.json.backup.3'];
    for (const name of left) await writeFile(join(dir, name), '{"partial":');
    // Not roster's temporary files: left alone.
    await writeFile(join(dir, 'state.json.backup.old'), 'mine');
    const lock = await backend.lock({ operation: 'apply' });
    const names = await readdir(dir);
    for (const name of left) expect(names).not.toContain(name);
    expect(names).toEqual(expect.arrayContaining(['state.json', 'state.json.backup.old']));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /removed 3 temporary state files left by an interrupted write/,
    );
    await backend.unlock(lock.id);
    await backend.unlock((await backend.lock({ operation: 'apply' })).id);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('reads an empty state with a fresh lineage and serial 0 when none exists, without creating files', async () => {
    const backend = new LocalStateBackend({ dir });
    const doc = await backend.read();
    expect(doc).toEqual({
      version: STATE_FORMAT_VERSION,
      lineage: expect.any(String),
      serial: 0,
      resources: {},
    });
    expect(doc.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect((await backend.read()).lineage).not.toBe(doc.lineage);
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(backend.location).toBe(join(dir, 'state.json'));
  });

  it('round-trips a written document', async () => {
    const backend = new LocalStateBackend({ dir });
    const doc = withResource(await backend.read(), 'office-protect');
    await backend.write(doc, 0);
    expect(await backend.read()).toEqual(doc);
    expect(await new LocalStateBackend({ dir }).read()).toEqual(doc);
    const next = withResource(doc, 'alerts');
    await backend.write(next, 1);
    const read = await backend.read();
    expect(read.serial).toBe(2);
    expect(read.lineage).toBe(doc.lineage);
    expect(Object.keys(read.resources)).toEqual([
      'autotask-prod/ServiceAccount/alerts',
      'autotask-prod/ServiceAccount/office-protect',
    ]);
  });

  it.runIf(posix)('writes state 0600 in a 0700 directory with a .gitignore of *', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.write(withResource(await backend.read(), 'a'), 0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    const gitignore = await readFile(join(dir, '.gitignore'), 'utf8');
    expect(gitignore.split('\n')).toContain('*');
    await backend.write(withResource(await backend.read(), 'b'), 1);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'state.json.backup'))).mode & 0o777).toBe(0o600);
  });

  it('keeps an existing .gitignore', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.write(withResource(await backend.read(), 'a'), 0);
    await writeFile(join(dir, '.gitignore'), 'custom\n');
    await backend.write(withResource(await backend.read(), 'b'), 1);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('custom\n');
  });

  it('leaves no temporary files behind', async () => {
    const backend = new LocalStateBackend({ dir });
    let doc = await backend.read();
    for (const name of ['a', 'b', 'c']) {
      const next = withResource(doc, name);
      await backend.write(next, doc.serial);
      doc = next;
    }
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'state.json', 'state.json.backup']);
  });

  it('compare-and-set: of two writers that read serial 0, the first wins and the second gets SerialConflictError', async () => {
    const a = new LocalStateBackend({ dir });
    const b = new LocalStateBackend({ dir });
    const docA = await a.read();
    const docB = await b.read();
    await a.write(withResource(docA, 'from-a'), 0);
    const err = await b.write(withResource(docB, 'from-b'), 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerialConflictError);
    expect((err as Error).message).toContain('expected serial 0, found 1');
    const stored = await a.read();
    expect(Object.keys(stored.resources)).toEqual(['autotask-prod/ServiceAccount/from-a']);
  });

  it('compare-and-set holds for concurrent writes in one process', async () => {
    const backends = Array.from({ length: 5 }, () => new LocalStateBackend({ dir }));
    const base = await backends[0]!.read();
    const results = await Promise.allSettled(backends.map((b, i) => b.write(withResource(base, `w${i}`), 0)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SerialConflictError);
    }
    expect((await backends[0]!.read()).serial).toBe(1);
  });

  it('requires the document serial to be expectedSerial + 1', async () => {
    const backend = new LocalStateBackend({ dir });
    const doc = await backend.read();
    await expect(backend.write({ ...doc, serial: 0 }, 0)).rejects.toThrow(/serial must be 1/);
    await expect(backend.write({ ...doc, serial: 5 }, 0)).rejects.toThrow(/serial must be 1/);
  });

  it('refuses a document of another lineage', async () => {
    const backend = new LocalStateBackend({ dir });
    const doc = withResource(await backend.read(), 'a');
    await backend.write(doc, 0);
    const other = { ...withResource(doc, 'b'), lineage: 'another-project' };
    const err = await backend.write(other, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('lineage');
    expect((err as Error).message).toContain("another project's state");
    expect((await backend.read()).lineage).toBe(doc.lineage);
  });

  it('keeps the previous state in state.json.backup', async () => {
    const backend = new LocalStateBackend({ dir });
    const first = withResource(await backend.read(), 'a');
    await backend.write(first, 0);
    await expect(stat(join(dir, 'state.json.backup'))).rejects.toMatchObject({ code: 'ENOENT' });
    const second = withResource(first, 'b');
    await backend.write(second, 1);
    expect(JSON.parse(await readFile(join(dir, 'state.json.backup'), 'utf8'))).toEqual(first);
    await backend.write(withResource(second, 'c'), 2);
    expect(JSON.parse(await readFile(join(dir, 'state.json.backup'), 'utf8'))).toEqual(second);
  });

  it('reports a corrupt state file by name and never resets it', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.write(withResource(await backend.read(), 'a'), 0);
    const path = join(dir, 'state.json');
    await writeFile(path, '{"version": 1, "lineage": "x", "ser');
    const err = await backend.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('corrupt');
    expect((err as Error).message).toContain('state.json.backup');
    // A write does not replace it either.
    await expect(backend.write({ ...(await emptyLike()), serial: 1 }, 0)).rejects.toThrow(/corrupt/);
    expect(await readFile(path, 'utf8')).toBe('{"version": 1, "lineage": "x", "ser');

    async function emptyLike(): Promise<StateDocument> {
      return { version: 1, lineage: 'x', serial: 0, resources: {} };
    }
  });

  it('reports a state file of the wrong shape', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.write(withResource(await backend.read(), 'a'), 0);
    const path = join(dir, 'state.json');
    const stored = JSON.parse(await readFile(path, 'utf8'));
    delete stored.resources['autotask-prod/ServiceAccount/a'].id;
    await writeFile(path, JSON.stringify(stored));
    await expect(backend.read()).rejects.toThrow(
      /resources\["autotask-prod\/ServiceAccount\/a"\]\.id must be a string/,
    );
    stored.resources['autotask-prod/ServiceAccount/a'].id = 'x';
    stored.resources['autotask-prod/ServiceAccount/a'].lastSignInAt = 1765000000;
    await writeFile(path, JSON.stringify(stored));
    await expect(backend.read()).rejects.toThrow(
      /resources\["autotask-prod\/ServiceAccount\/a"\]\.lastSignInAt must be a string/,
    );
    await writeFile(path, '[]');
    await expect(backend.read()).rejects.toThrow(/expected a JSON object/);
  });

  it('refuses state written by a newer roster', async () => {
    await new LocalStateBackend({ dir }).write(
      { version: STATE_FORMAT_VERSION, lineage: 'l', serial: 1, resources: {} },
      0,
    );
    await writeFile(
      join(dir, 'state.json'),
      JSON.stringify({ version: STATE_FORMAT_VERSION + 1, lineage: 'l', serial: 1, resources: {} }),
    );
    await expect(new LocalStateBackend({ dir }).read()).rejects.toThrow(/newer roster/);
  });
});

describe('LocalStateBackend lock', () => {
  it('takes and releases the lock, recording who holds it', async () => {
    const backend = new LocalStateBackend({ dir });
    const lock = await backend.lock({ operation: 'apply' });
    expect(lock).toMatchObject({ pid: process.pid, host: hostname(), operation: 'apply' });
    expect(lock.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lock.user).not.toBe('');
    expect(new Date(lock.createdAt).toISOString()).toBe(lock.createdAt);
    expect(JSON.parse(await readFile(join(dir, 'state.lock'), 'utf8'))).toEqual(lock);
    expect(await backend.currentLock()).toEqual(lock);
    if (posix) expect((await stat(join(dir, 'state.lock'))).mode & 0o777).toBe(0o600);
    await backend.unlock(lock.id);
    await expect(stat(join(dir, 'state.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await backend.currentLock()).toBeUndefined();
    // Taken again after release.
    const again = await backend.lock({ operation: 'plan' });
    await backend.unlock(again.id);
  });

  it('refuses a lock held by a live process of this host, naming the holder', async () => {
    const a = new LocalStateBackend({ dir });
    const b = new LocalStateBackend({ dir });
    const held = await a.lock({ operation: 'apply' });
    const err = await b.lock({ operation: 'plan' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    const locked = err as LockedError;
    expect(locked.holder).toEqual(held);
    expect(locked.message).toContain(`locked by pid ${process.pid} on host ${hostname()}`);
    expect(locked.message).toContain(`since ${held.createdAt}`);
    expect(locked.message).toContain(`roster force-unlock ${held.id}`);
    // The holder's lock is untouched.
    expect(await a.currentLock()).toEqual(held);
    await a.unlock(held.id);
  });

  it('refuses a lock held by another live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const backend = new LocalStateBackend({ dir });
      await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id)); // creates the directory
      const holder = lockRecord({ pid: child.pid! });
      await writeFile(join(dir, 'state.lock'), JSON.stringify(holder));
      const err = await backend.lock({ operation: 'plan' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockedError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `locked by pid ${child.pid} on host ${escapeRegExp(hostname())} since ${escapeRegExp(holder.createdAt)}`,
        ),
      );
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock of a process of this host that no longer runs, and reports it', async () => {
    const pid = await deadPid();
    const warn = vi.fn();
    const onStaleLock = vi.fn();
    const backend = new LocalStateBackend({
      dir,
      logger: { info() {}, debug() {}, warn },
      onStaleLock,
    });
    await backend.forceUnlock(); // nothing to remove yet
    await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id));
    const stale = lockRecord({ pid });
    await writeFile(join(dir, 'state.lock'), JSON.stringify(stale));
    const lock = await backend.lock({ operation: 'apply' });
    expect(lock.pid).toBe(process.pid);
    expect(lock.id).not.toBe(stale.id);
    expect(onStaleLock).toHaveBeenCalledWith(stale);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(`stale state lock ${stale.id} of pid ${pid}`);
    expect(await backend.currentLock()).toEqual(lock);
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'state.lock']);
    await backend.unlock(lock.id);
  });

  it('exactly one of several concurrent runs takes over a stale lock', async () => {
    const pid = await deadPid();
    const setup = new LocalStateBackend({ dir });
    await setup.lock({ operation: 'x' }).then((l) => setup.unlock(l.id));
    await writeFile(join(dir, 'state.lock'), JSON.stringify(lockRecord({ pid })));
    const backends = Array.from({ length: 8 }, () => new LocalStateBackend({ dir }));
    const results = await Promise.allSettled(backends.map((b) => b.lock({ operation: 'apply' })));
    const won = results.filter((r): r is PromiseFulfilledResult<LockInfo> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockedError);
    }
    expect(await setup.currentLock()).toEqual(won[0]!.value);
  });

  it('removes a takeover guard left by a run that died while taking over a stale lock', async () => {
    const pid = await deadPid();
    const backend = new LocalStateBackend({ dir });
    await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id));
    await writeFile(join(dir, 'state.lock'), JSON.stringify(lockRecord({ pid })));
    await writeFile(
      join(dir, 'state.lock.takeover'),
      JSON.stringify(lockRecord({ pid, id: 'guard', operation: 'takeover' })),
    );
    const lock = await backend.lock({ operation: 'apply' });
    expect(await backend.currentLock()).toEqual(lock);
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'state.lock']);
  });

  it('exactly one of several concurrent runs takes a free lock', async () => {
    const backends = Array.from({ length: 8 }, () => new LocalStateBackend({ dir }));
    const results = await Promise.allSettled(backends.map((b) => b.lock({ operation: 'apply' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('does not take over a lock from another host, even if that pid is not running here', async () => {
    const pid = await deadPid();
    const backend = new LocalStateBackend({ dir });
    await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id));
    await writeFile(join(dir, 'state.lock'), JSON.stringify(lockRecord({ pid, host: 'ci-runner-7' })));
    await expect(backend.lock({ operation: 'apply' })).rejects.toThrow(
      `locked by pid ${pid} on host ci-runner-7`,
    );
  });

  it('waits for a held lock with timeoutMs, saying so once, and takes it when released', async () => {
    const a = new LocalStateBackend({ dir });
    const held = await a.lock({ operation: 'apply' });
    const said: string[] = [];
    let startedWaiting!: () => void;
    const waitingSaid = new Promise<void>((resolve) => {
      startedWaiting = resolve;
    });
    const logger = {
      info: (m: string) => {
        said.push(m);
        startedWaiting();
      },
      warn: () => {},
      debug: () => {},
    };
    const b = new LocalStateBackend({ dir, logger });
    const waiting = b.lock({ operation: 'plan', timeoutMs: 60_000 });
    // Released only once b is provably waiting (it said so), however slow the machine is.
    await waitingSaid;
    await a.unlock(held.id);
    const lock = await waiting;
    expect(lock.operation).toBe('plan');
    expect(said).toEqual([
      expect.stringMatching(
        new RegExp(
          `^waiting up to 60\\.0 s for the state lock \\(--lock-timeout\\): held by lock ${held.id} of pid ${process.pid} on host \\S+ \\(user \\S+, apply\\) since \\S+$`,
        ),
      ),
    ]);
    await b.unlock(lock.id);
  });

  it('gives up with LockedError when timeoutMs passes', async () => {
    const a = new LocalStateBackend({ dir });
    const held = await a.lock({ operation: 'apply' });
    await expect(
      new LocalStateBackend({ dir }).lock({ operation: 'plan', timeoutMs: 30 }),
    ).rejects.toBeInstanceOf(LockedError);
    await a.unlock(held.id);
  });

  it('unlock with another id is refused and leaves the lock', async () => {
    const backend = new LocalStateBackend({ dir });
    const lock = await backend.lock({ operation: 'apply' });
    await expect(backend.unlock('not-mine')).rejects.toThrow(`holds lock ${lock.id}`);
    expect(await backend.currentLock()).toEqual(lock);
    await backend.unlock(lock.id);
    await expect(backend.unlock(lock.id)).rejects.toThrow(/there is no lock/);
  });

  it('unlockSync releases only the matching lock', async () => {
    const backend = new LocalStateBackend({ dir });
    const lock = await backend.lock({ operation: 'apply' });
    expect(backend.unlockSync('not-mine')).toBe(false);
    expect(await backend.currentLock()).toEqual(lock);
    expect(backend.unlockSync(lock.id)).toBe(true);
    expect(await backend.currentLock()).toBeUndefined();
    expect(backend.unlockSync(lock.id)).toBe(false);
  });

  it('force-unlock with the right id removes the lock and returns it', async () => {
    const a = new LocalStateBackend({ dir });
    const lock = await a.lock({ operation: 'apply' });
    const removed = await new LocalStateBackend({ dir }).forceUnlock(lock.id);
    expect(removed).toEqual(lock);
    expect(await a.currentLock()).toBeUndefined();
    // The former holder learns its lock is gone.
    await expect(a.unlock(lock.id)).rejects.toThrow(/force-unlock/);
  });

  it('force-unlock with a wrong id is refused and names the current lock id', async () => {
    const backend = new LocalStateBackend({ dir });
    const lock = await backend.lock({ operation: 'apply' });
    const err = await backend.forceUnlock('0000-wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('0000-wrong');
    expect((err as Error).message).toContain(`roster force-unlock ${lock.id}`);
    expect(await backend.currentLock()).toEqual(lock);
  });

  it('force-unlock without an id removes any lock; with no lock it returns undefined', async () => {
    const backend = new LocalStateBackend({ dir });
    expect(await backend.forceUnlock()).toBeUndefined();
    const lock = await backend.lock({ operation: 'apply' });
    expect(await backend.forceUnlock()).toEqual(lock);
    expect(await backend.forceUnlock()).toBeUndefined();
    expect(await backend.forceUnlock('whatever')).toBeUndefined();
  });

  it('a lock file with garbage is held by an unknown holder, removable with force-unlock', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id));
    await writeFile(join(dir, 'state.lock'), 'not json at all');
    const err = await backend.lock({ operation: 'apply' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as Error).message).toContain('unknown holder');
    expect((err as Error).message).toContain('unreadable');
    expect((err as Error).message).toContain(join(dir, 'state.lock'));
    expect((err as Error).message).toContain('roster force-unlock');
    expect((await backend.currentLock())?.id).toBe('(unreadable)');
    await expect(backend.forceUnlock('some-id')).rejects.toThrow(/without a lock id/);
    expect((await backend.forceUnlock())?.id).toBe('(unreadable)');
    const lock = await backend.lock({ operation: 'apply' });
    await backend.unlock(lock.id);
  });

  it('an empty lock file counts as unreadable', async () => {
    const backend = new LocalStateBackend({ dir });
    await backend.lock({ operation: 'x' }).then((l) => backend.unlock(l.id));
    await writeFile(join(dir, 'state.lock'), '');
    await expect(backend.lock({ operation: 'apply' })).rejects.toThrow(/it is empty/);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
