import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { silentLogger } from '../logger.js';
import { FAKE_PROVIDER, fake, resource, tree } from '../manifest/fixtures.testing.js';
import { openProject } from '../project/project.js';
import type { KindApi, Provider, ProviderConnection, RemoteObject } from '../provider.js';
import { applyDocument } from '../render/apply-json.js';
import { LocalStateBackend } from '../state/local-backend.js';
import { type ApplyIO, type ApplyProjectRequest, applyProject } from './apply-project.js';
import type { ExecuteEvent } from './execute.js';

/** A fake system in memory: objects by kind, every call recorded; `fail` names a key whose create fails. */
function system(fail?: string) {
  const objects = new Map<string, RemoteObject[]>();
  const calls: string[] = [];
  let next = 1;
  const api: KindApi = {
    async list({ kind }) {
      return { objects: structuredClone(objects.get(kind) ?? []) };
    },
    async read({ kind, id }) {
      return { object: objects.get(kind)?.find((o) => o.id === id) };
    },
    async create({ kind, attributes }) {
      calls.push(`create ${kind} ${String(attributes.name)}`);
      if (attributes.name === fail) throw new Error(`refused ${fail}`);
      const o = { id: String(next++), naturalKey: String(attributes.name), attributes };
      objects.set(kind, [...(objects.get(kind) ?? []), o]);
      return { object: o };
    },
    async update() {
      throw new Error('not used');
    },
    async delete() {
      throw new Error('not used');
    },
  };
  const conn: ProviderConnection = {
    stats: () => ({ apiCalls: calls.length, throttled: 0 }),
    async close() {},
  };
  const kinds = Object.fromEntries(Object.entries(fake.kinds).map(([k, def]) => [k, { ...def, api }]));
  const provider: Provider = { ...fake, kinds, connect: async () => conn };
  return { provider, calls };
}

/** An I/O that records what the apply says, answering `answer` when asked to confirm. */
function recordingIO(answer: boolean | 'no terminal' = true) {
  const said: string[] = [];
  const io: ApplyIO = {
    showPlan: (plan) => said.push(`plan: ${plan.changes.map((c) => `${c.action} ${c.address}`).join(', ')}`),
    diagnostics: (ds: Diagnostic[]) => said.push(...ds.map((d) => `diagnostic: ${d.message}`)),
    message: (line) => said.push(`message: ${line}`),
    confirm: async () => {
      said.push('confirm?');
      if (answer === 'no terminal') throw new Error('no terminal');
      return answer;
    },
  };
  return { io, said };
}

const manifests = {
  'p.yaml': FAKE_PROVIDER,
  'levels.yaml': `${resource('SecurityLevel', 'ops', '{ name: Ops }')}---\n${resource('Group', 'g', '{ name: G }')}`,
};

function request(dir: string, provider: Provider, io: ApplyIO, over: Partial<ApplyProjectRequest> = {}) {
  const stateDir = path.join(dir, '.roster');
  const events: ExecuteEvent['type'][] = [];
  const req: ApplyProjectRequest = {
    loadProject: () => openProject({ paths: ['.'], cwd: dir, providers: [provider], stateDir }),
    providers: [provider],
    backend: new LocalStateBackend({ dir: stateDir }),
    stateDir,
    projectDir: dir,
    secretDirs: [],
    log: silentLogger,
    actor: 'ann',
    options: { concurrency: 2, onEvent: (e) => events.push(e.type) },
    io,
    ...over,
  };
  return { req, events, stateDir };
}

describe('applyProject', () => {
  it('plans, asks, applies, records state and an audit log, then has nothing to do', async () => {
    const dir = tree(manifests);
    const sys = system();
    const { io, said } = recordingIO(true);
    const { req, events, stateDir } = request(dir, sys.provider, io);
    const outcome = await applyProject(req);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stage).toBe('applied');
    expect(said).toEqual(['plan: create f/Group/g, create f/SecurityLevel/ops', 'confirm?']);
    expect(sys.calls.sort()).toEqual(['create Group G', 'create SecurityLevel Ops']);
    expect(events.filter((e) => e === 'done')).toHaveLength(2);
    expect(outcome.summary).toEqual([
      'Apply complete! 2 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted.',
    ]);
    const state = JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    expect(Object.keys(state.resources).sort()).toEqual(['f/Group/g', 'f/SecurityLevel/ops']);
    const audit = readFileSync(path.join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n');
    expect(audit.map((l) => JSON.parse(l).type)).toEqual([
      'apply-start',
      'operation',
      'operation',
      'apply-finish',
    ]);

    const again = await applyProject(request(dir, sys.provider, recordingIO(true).io).req);
    expect(again).toMatchObject({ exitCode: 0, stage: 'nothing' });
    expect(applyDocument(again).outcome).toBe('nothing-to-do');
  });

  it('changes nothing when the plan is not confirmed', async () => {
    const dir = tree(manifests);
    const sys = system();
    const { io, said } = recordingIO(false);
    const outcome = await applyProject(request(dir, sys.provider, io).req);
    expect(outcome).toMatchObject({ exitCode: 1, stage: 'cancelled' });
    expect(said.at(-1)).toBe('message: Apply cancelled.');
    expect(sys.calls).toEqual([]);
  });

  it('does not ask with autoApprove, and exits 1 naming what failed', async () => {
    const dir = tree(manifests);
    const sys = system('G');
    const { io, said } = recordingIO('no terminal');
    const { req } = request(dir, sys.provider, io);
    const outcome = await applyProject({ ...req, options: { ...req.options, autoApprove: true } });
    expect(said).not.toContain('confirm?');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.summary).toEqual([
      'Apply failed: 1 operation(s) failed, 0 skipped; 1 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted.',
      '  f/Group/g: refused G',
      'State records everything that was done. Fix the cause and run roster apply again.',
    ]);
    expect(applyDocument(outcome).changes.map((c) => [c.address, c.outcome])).toEqual([
      ['f/Group/g', 'failed'],
      ['f/SecurityLevel/ops', 'done'],
    ]);
  });

  it('reports manifests with errors as diagnostics and touches no state', async () => {
    const dir = tree({ 'p.yaml': FAKE_PROVIDER, 'a.yaml': resource('Group', 'g', '{ nam: G }') });
    const { io, said } = recordingIO(true);
    const { req, stateDir } = request(dir, system().provider, io);
    const outcome = await applyProject(req);
    expect(outcome).toMatchObject({ exitCode: 1, stage: 'invalid' });
    expect(said.length).toBeGreaterThan(0);
    expect(said.every((l) => l.startsWith('diagnostic: '))).toBe(true);
    expect(existsSync(path.join(stateDir, 'state.json'))).toBe(false);
  });

  it('stops scheduling once aborted, exiting 143 for SIGTERM and 130 for SIGINT', async () => {
    for (const [reason, code, kind] of [
      ['SIGTERM', 143, 'terminated'],
      ['SIGINT', 130, 'interrupted'],
    ] as const) {
      const dir = tree(manifests);
      const sys = system();
      const controller = new AbortController();
      const { io } = recordingIO(true);
      // Aborted once the plan is confirmed, before anything runs.
      io.confirm = async () => {
        controller.abort(reason);
        return true;
      };
      const outcome = await applyProject({
        ...request(dir, sys.provider, io).req,
        signal: controller.signal,
      });
      expect(outcome.exitCode).toBe(code);
      expect(applyDocument(outcome).outcome).toBe(kind);
      expect(sys.calls).toEqual([]);
    }
  });
});
