import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalStateBackend } from './local-backend.js';
import { LockedError, type LockInfo, type StateBackend } from './types.js';
import { withStateLock } from './with-lock.js';

const here = dirname(fileURLToPath(import.meta.url));
const coreSrc = join(here, '..');
const coreRoot = join(coreSrc, '..');

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'roster-with-lock-'));
  dir = join(root, '.roster');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function listenerCounts(): number[] {
  return (['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'] as const).map((s) => process.listenerCount(s));
}

describe('withStateLock', () => {
  it('holds the lock while fn runs, returns its value, and releases the lock', async () => {
    const backend = new LocalStateBackend({ dir });
    const listenersBefore = listenerCounts();
    const result = await withStateLock(backend, 'apply', async (lock) => {
      expect(await backend.currentLock()).toEqual(lock);
      expect(lock.operation).toBe('apply');
      await expect(new LocalStateBackend({ dir }).lock({ operation: 'plan' })).rejects.toBeInstanceOf(
        LockedError,
      );
      return 42;
    });
    expect(result).toBe(42);
    expect(await backend.currentLock()).toBeUndefined();
    expect(listenerCounts()).toEqual(listenersBefore);
  });

  it('releases the lock when fn throws, and rethrows its error', async () => {
    const backend = new LocalStateBackend({ dir });
    const listenersBefore = listenerCounts();
    const boom = new Error('boom');
    await expect(
      withStateLock(backend, 'apply', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await backend.currentLock()).toBeUndefined();
    expect(listenerCounts()).toEqual(listenersBefore);
  });

  it('does not run fn when the lock is held', async () => {
    const holder = new LocalStateBackend({ dir });
    const held = await holder.lock({ operation: 'apply' });
    const fn = vi.fn(async () => 1);
    await expect(withStateLock(new LocalStateBackend({ dir }), 'plan', fn)).rejects.toBeInstanceOf(
      LockedError,
    );
    expect(fn).not.toHaveBeenCalled();
    expect(await holder.currentLock()).toEqual(held);
  });

  it('after fn throws, a failure to release is logged and fn error wins', async () => {
    const backend = new LocalStateBackend({ dir });
    const warn = vi.fn();
    const boom = new Error('boom');
    await expect(
      withStateLock(
        backend,
        'apply',
        async () => {
          await backend.forceUnlock();
          throw boom;
        },
        { logger: { info() {}, debug() {}, warn } },
      ),
    ).rejects.toBe(boom);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('could not release state lock');
  });

  it('after fn returns, a failure to release is thrown', async () => {
    const backend = new LocalStateBackend({ dir });
    await expect(
      withStateLock(backend, 'apply', async () => {
        await backend.forceUnlock();
        return 1;
      }),
    ).rejects.toThrow(/there is no lock/);
  });

  it('keeps the lock on a signal another listener handles, releasing it when fn settles', async () => {
    const backend = new LocalStateBackend({ dir });
    const graceful = vi.fn();
    process.on('SIGINT', graceful);
    try {
      await withStateLock(backend, 'apply', async (lock) => {
        process.emit('SIGINT', 'SIGINT');
        expect(graceful).toHaveBeenCalled();
        expect(await backend.currentLock()).toEqual(lock);
      });
      expect(await backend.currentLock()).toBeUndefined();
    } finally {
      process.removeListener('SIGINT', graceful);
    }
  });

  it('passes timeoutMs to the backend', async () => {
    const calls: unknown[] = [];
    const backend: StateBackend = {
      location: 'memory',
      read: async () => ({ version: 1, lineage: 'l', serial: 0, resources: {} }),
      write: async () => {},
      lock: async (req) => {
        calls.push(req);
        return { id: 'i', pid: 1, host: 'h', user: 'u', operation: req.operation, createdAt: 'now' };
      },
      unlock: async () => {},
      forceUnlock: async () => undefined,
    };
    await withStateLock(backend, 'plan', async () => {}, { timeoutMs: 5000 });
    await withStateLock(backend, 'plan', async () => {});
    expect(calls).toEqual([{ operation: 'plan', timeoutMs: 5000 }, { operation: 'plan' }]);
  });
});

describe('withStateLock in a process that is interrupted', () => {
  let build: string;

  // Run the real modules in a child process: transpile them to a temporary directory.
  beforeAll(async () => {
    build = await mkdtemp(join(tmpdir(), 'roster-with-lock-build-'));
    // The entry modules and every module they import, followed from the sources (a list kept by
    // hand broke each time one of them gained an import).
    const files: string[] = [];
    const pending = ['state/local-backend.ts', 'state/with-lock.ts'];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (files.includes(file)) continue;
      files.push(file);
      const text = await readFile(join(coreSrc, file), 'utf8');
      for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g))
        pending.push(join(dirname(file), `${m[1]}.ts`).replaceAll('\\', '/'));
    }
    for (const file of files) {
      const source = await readFile(join(coreSrc, file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
        fileName: file,
      });
      const out = join(build, 'lib', file.replace(/\.ts$/, '.js'));
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, outputText);
    }
    await writeFile(join(build, 'package.json'), '{"type":"module"}');
    await symlink(join(coreRoot, 'node_modules'), join(build, 'node_modules'), 'junction');
    await writeFile(
      join(build, 'child.js'),
      `import { createRequire } from 'node:module';
import { LocalStateBackend } from './lib/state/local-backend.js';
import { withStateLock } from './lib/state/with-lock.js';
const [dir, mode] = process.argv.slice(2);
if (mode === 'signal-exit') {
  // As while write-file-atomic writes: signal-exit listens for signals too.
  const wfa = createRequire(import.meta.url).resolve('write-file-atomic');
  createRequire(wfa)('signal-exit').onExit(() => {});
}
await withStateLock(new LocalStateBackend({ dir }), 'apply', async (lock) => {
  process.stdout.write(JSON.stringify(lock) + '\\n');
  if (mode === 'exit') process.exit(3);
  await new Promise(() => setInterval(() => {}, 1000));
});
`,
    );
  });
  afterAll(async () => {
    await rm(build, { recursive: true, force: true });
  });

  const children: ChildProcess[] = [];
  afterEach(() => {
    // A failed test must not leave its holder running.
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  async function startHolder(mode: 'wait' | 'exit' | 'signal-exit') {
    const child = spawn(process.execPath, [join(build, 'child.js'), dir, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await once(lines, 'line')) as [string];
    return { child, exited, lock: JSON.parse(line) as LockInfo };
  }

  it.runIf(process.platform !== 'win32').each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'releases the lock on %s and ends by that signal',
    async (signal) => {
      const { child, exited, lock } = await startHolder('wait');
      expect(lock.pid).toBe(child.pid);
      expect(await new LocalStateBackend({ dir }).currentLock()).toEqual(lock);
      child.kill(signal);
      const [code, endedBy] = await exited;
      expect({ code, endedBy }).toEqual({ code: null, endedBy: signal });
      await expect(stat(join(dir, 'state.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it.runIf(process.platform !== 'win32')(
    'releases the lock on a signal while signal-exit (write-file-atomic) also listens',
    async () => {
      const { child, exited } = await startHolder('signal-exit');
      child.kill('SIGINT');
      const [code, endedBy] = await exited;
      expect({ code, endedBy }).toEqual({ code: null, endedBy: 'SIGINT' });
      await expect(stat(join(dir, 'state.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it('releases the lock when fn calls process.exit', async () => {
    const { exited } = await startHolder('exit');
    const [code] = await exited;
    expect(code).toBe(3);
    await expect(stat(join(dir, 'state.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
