import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticsError, UserError } from '../diagnostics.js';
import type { KindSession } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { ConnectRequest, Provider } from '../provider.js';
import { Secret } from '../secret.js';
import type { ConfiguredProvider } from './project.js';
import { Connections, credentialsFor, describeCredentials } from './refresh.js';
import { providersFromPlan } from './run.js';

const write = {
  user: new Secret('write-user-value', 'env:W_USER'),
  token: new Secret('write-token', 'env:W_TOKEN'),
};
const read = {
  user: new Secret('read-user-value', 'env:R_USER'),
  token: new Secret('read-token', 'file:/x/r'),
};

/** A session that lists nothing and refuses every write; `close` as given. */
function emptySession(close: () => Promise<void> = async () => {}): KindSession {
  return {
    list: async () => ({ objects: [] }),
    read: async () => ({ object: undefined }),
    create: () => Promise.reject(new Error('no')),
    update: () => Promise.reject(new Error('no')),
    delete: () => Promise.reject(new Error('no')),
    stats: () => ({ apiCalls: 0, throttled: 0 }),
    close,
  };
}

/** A provider that records what each connect receives. */
function recording(): { provider: Provider; seen: ConnectRequest[] } {
  const seen: ConnectRequest[] = [];
  const conn = emptySession();
  const provider: Provider = {
    type: 'rec',
    displayName: 'Rec',
    description: 'records connect requests',
    configSchema: { type: 'object' },
    kinds: {},
    connect: async (req) => {
      seen.push(req);
      return conn;
    },
  };
  return { provider, seen };
}

function configured(provider: Provider, creds: Partial<ConfiguredProvider>): ConfiguredProvider {
  return {
    name: 'sys',
    provider,
    document: undefined as never,
    config: { type: 'rec' },
    credentials: {},
    sandbox: false,
    ...creds,
  };
}

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), debug: (m) => lines.push(m) },
  };
}

const stateDir = () => mkdtempSync(path.join(tmpdir(), 'roster-refresh-'));

describe('credentialsFor', () => {
  it('gives a read-only connection credentials.read, and a read-write one the top-level set', () => {
    const p = { name: 'sys', credentials: write, readCredentials: read };
    expect(credentialsFor(p, true)).toEqual({ set: 'read', credentials: read });
    expect(credentialsFor(p, false)).toEqual({ set: 'write', credentials: write });
  });

  it('falls back to the top-level set when there is no read set', () => {
    expect(credentialsFor({ name: 'sys', credentials: write }, true)).toEqual({
      set: 'write',
      credentials: write,
    });
  });

  it('refuses a read-write connection when only read credentials are given, naming the fix', () => {
    const p = { name: 'sys', credentials: {}, readCredentials: read };
    expect(() => credentialsFor(p, false)).toThrow(UserError);
    expect(() => credentialsFor(p, false)).toThrow(
      /provider sys has only read-only credentials \(credentials\.read\): apply needs write credentials/,
    );
  });

  it('resolves only the set it chooses: an unresolved secret of the other set is no error', () => {
    const unset = (name: string, line: number) =>
      Secret.unresolved(`env:${name}`, {
        severity: 'error',
        code: 'manifest.env-unset',
        message: `environment variable ${name} is not set`,
        file: 'p.yaml',
        line,
        column: 14,
      });
    const writeUnset = { user: unset('W_USER', 7), token: unset('W_TOKEN', 8) };
    const p = { name: 'sys', credentials: writeUnset, readCredentials: read };
    expect(credentialsFor(p, true)).toEqual({ set: 'read', credentials: read });
    let thrown: unknown;
    try {
      credentialsFor(
        { ...p, document: { address: 'sys/Provider/sys' } as ConfiguredProvider['document'] },
        false,
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DiagnosticsError);
    // Every unresolved secret of the chosen set, at its line, naming the variable, never a value.
    expect((thrown as DiagnosticsError).message).toBe(
      [
        'p.yaml:7:14: error[manifest.env-unset]: environment variable W_USER is not set',
        'p.yaml:8:14: error[manifest.env-unset]: environment variable W_TOKEN is not set',
      ].join('\n'),
    );
    expect((thrown as DiagnosticsError).diagnostics.map((d) => d.address)).toEqual([
      'sys/Provider/sys',
      'sys/Provider/sys',
    ]);
    // The read set unresolved: a read-only connection fails, a read-write one does not need it.
    const q = { name: 'sys', credentials: write, readCredentials: { user: unset('R_USER', 10) } };
    expect(() => credentialsFor(q, true)).toThrow(
      /p\.yaml:10:14: error\[manifest\.env-unset\]: environment variable R_USER/,
    );
    expect(credentialsFor(q, false)).toEqual({ set: 'write', credentials: write });
  });

  it('describes the set by keys and origins, never values', () => {
    const line = describeCredentials('sys', true, { set: 'read', credentials: read });
    expect(line).toBe(
      'sys: read-only connection signs in with credentials.read (user from env:R_USER, token from file:/x/r)',
    );
    expect(describeCredentials('sys', false, { set: 'write', credentials: {} })).toBe(
      'sys: read-write connection signs in with no credentials (none declared)',
    );
  });
});

describe('Connections.open', () => {
  it('connects plan/drift with the read set and apply with the write set, logging which', async () => {
    const { provider, seen } = recording();
    const p = configured(provider, { credentials: write, readCredentials: read });
    for (const readOnly of [true, false]) {
      const { log, lines } = capture();
      const c = await Connections.open({ providers: [p], stateDir: stateDir(), readOnly, log });
      await c.close();
      const text = lines.join('\n');
      for (const s of [...Object.values(write), ...Object.values(read)])
        expect(text).not.toContain(s.reveal());
      expect(text).toContain(
        readOnly ? 'credentials.read (user from env:R_USER' : 'credentials (user from env:W_USER',
      );
    }
    expect(seen.map((r) => [r.readOnly, r.readCredentials === true, r.credentials])).toEqual([
      [true, true, read],
      [false, false, write],
    ]);
  });

  it('refuses to open an apply connection with read credentials alone, before connecting anything', async () => {
    const { provider, seen } = recording();
    const p = configured(provider, { readCredentials: read });
    await expect(
      Connections.open({ providers: [p], stateDir: stateDir(), readOnly: false, log: capture().log }),
    ).rejects.toThrow(/only read-only credentials/);
    expect(seen).toEqual([]);
  });
});

describe('Connections.open when a provider fails', () => {
  /** A provider whose connect settles when the test says so, counting opens and closes. */
  function controlled(type: string) {
    const counts = { opened: 0, closed: 0 };
    const conn = emptySession(async () => {
      counts.closed++;
    });
    let markStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    let settle: { ok: () => void; fail: (e: Error) => void } | undefined;
    const provider: Provider = {
      type,
      displayName: type,
      description: type,
      configSchema: { type: 'object' },
      kinds: {},
      connect: () =>
        new Promise<KindSession>((resolve, reject) => {
          settle = {
            ok: () => {
              counts.opened++;
              resolve(conn);
            },
            fail: reject,
          };
          markStarted();
        }),
    };
    return { provider, counts, started, settle: () => settle! };
  }

  for (const order of ['the failure first', 'the failure last']) {
    it(`closes every connection that opened, even one still starting when another failed (${order})`, async () => {
      const slow = controlled('slow');
      const fast = controlled('fast');
      const failing = controlled('failing');
      const opening = Connections.open({
        providers: [
          configured(slow.provider, { name: 'slow' }),
          configured(fast.provider, { name: 'fast' }),
          configured(failing.provider, { name: 'failing' }),
        ],
        stateDir: stateDir(),
        readOnly: true,
        log: capture().log,
      });
      const result = opening.then(
        () => 'opened',
        (e: Error) => e.message,
      );
      await Promise.all([slow.started, fast.started, failing.started]);
      fast.settle().ok();
      if (order === 'the failure first') {
        failing.settle().fail(new Error('bad token'));
        // Let the failure run its course (the old code gave up and closed here) before the slow one opens.
        await new Promise<void>((resolve) => setImmediate(resolve));
        slow.settle().ok();
      } else {
        slow.settle().ok();
        failing.settle().fail(new Error('bad token'));
      }
      expect(await result).toBe('bad token');
      expect(slow.counts).toEqual({ opened: 1, closed: 1 });
      expect(fast.counts).toEqual({ opened: 1, closed: 1 });
    });
  }
});

describe('a saved plan', () => {
  it('applies with the write credentials read again from their origins, never the read ones', async () => {
    const { provider, seen } = recording();
    const providers = providersFromPlan(
      [
        {
          name: 'sys',
          type: 'rec',
          config: { type: 'rec' },
          credentials: { user: 'env:W_USER' },
          readCredentials: { user: 'env:R_UNSET_IN_APPLY' },
          sandbox: false,
        },
      ],
      [provider],
      { W_USER: 'from-env' },
    );
    const c = await Connections.open({
      providers: providers.values(),
      stateDir: stateDir(),
      readOnly: false,
      log: capture().log,
    });
    await c.close();
    expect(seen[0]?.credentials.user?.reveal()).toBe('from-env');
    expect(seen[0]?.readCredentials).toBeUndefined();
  });

  it('made with read credentials alone, is refused at apply with the same clear message', async () => {
    const { provider } = recording();
    const providers = providersFromPlan(
      [
        {
          name: 'sys',
          type: 'rec',
          config: {},
          credentials: {},
          readCredentials: { user: 'env:R' },
          sandbox: false,
        },
      ],
      [provider],
      {},
    );
    await expect(
      Connections.open({
        providers: providers.values(),
        stateDir: stateDir(),
        readOnly: false,
        log: capture().log,
      }),
    ).rejects.toThrow(/provider sys has only read-only credentials/);
  });
});
