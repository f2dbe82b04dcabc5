/**
 * Golden plans: the plan JSON of every example project, in several situations built from its own
 * resources (nothing yet; applied, then changed in and outside roster; refresh-only; targeted),
 * compared byte for byte with files under test/golden/plan/. It holds the planner's output fixed
 * while its code is reorganised: a difference is a change of behaviour, to be explained. Runs the
 * real planner (`planProject`: assemble and review) in-process on inputs derived deterministically
 * from the manifests. Regenerate on purpose with `pnpm vitest run test/plan-golden.test.ts -u`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fingerprintSecret,
  isSecret,
  type KindDefinition,
  kindCapabilities,
  openProject,
  type Project,
  planProject,
  type RemoteObject,
  type RemoteSnapshot,
  remoteFingerprint,
  type StateDocument,
  type StateResource,
} from '@roster/core';
import { describe, expect, it } from 'vitest';
import { builtinProviders } from '../packages/cli/src/providers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = readdirSync(path.join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(path.join(root, 'examples', e.name)).some(isYaml))
  .map((e) => e.name)
  .sort();
const NOW = new Date('2026-06-01T00:00:00Z');
const STATS = { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 };
// Credentials some examples read from the environment (fake: secrets never reach a plan).
const ENV = Object.fromEntries(
  ['CLIENT_ID', 'CLIENT_SECRET', 'USER_ID', 'READ_USER_ID', 'USER_PASSWORD'].map((k) => [
    `INTACCT_${k}`,
    'golden',
  ]),
);

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

describe('golden plans of the examples', () => {
  it('finds the examples', () => {
    expect(examples).toContain('company');
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  for (const example of examples) {
    it(`plans examples/${example} as before`, async () => {
      const project = await openProject({
        paths: [path.join('examples', example)],
        cwd: root,
        providers: builtinProviders,
        env: { ...process.env, ...ENV },
      });
      await expect(goldenText(project, root, '<root>')).toMatchFileSnapshot(`golden/plan/${example}.json`);
    });
  }

  it('plans a project shaped like the benchmark’s (scripts/bench-cpu.js) as before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-golden-bench-'));
    try {
      writeBenchProject(dir, 30);
      const project = await openProject({ paths: [dir], cwd: dir, providers: builtinProviders });
      expect(project.desired).toHaveLength(30);
      await expect(goldenText(project, dir, '<bench>')).toMatchFileSnapshot('golden/plan/bench-30.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The project's plans in every situation, as JSON text with `dir` written as `placeholder`. */
function goldenText(project: Project, dir: string, placeholder: string): string {
  const applied = appliedWorld(project);
  const changed = changedWorld(project, applied, false);
  const drifted = changedWorld(project, applied, true);
  const plans = {
    fresh: plan(project, { state: emptyState(), remote: emptyRemote(project) }),
    changed: plan(project, changed),
    drifted: plan(project, drifted),
    refreshOnly: plan(project, { ...changed, mode: 'refresh-only' }),
    targeted: plan(project, { ...changed, targets: new Set(project.order.slice(-1)) }),
  };
  return `${JSON.stringify(plans, null, 2).replaceAll(dir, placeholder)}\n`;
}

/** `total` Intacct resources as the CPU benchmark writes them: roles, a group, then users. */
function writeBenchProject(dir: string, total: number): void {
  const roles = Math.max(1, Math.round(total / 101));
  const groups = Math.max(1, Math.floor(total / 1000));
  const docs: string[] = [];
  for (let r = 0; r < roles; r++)
    docs.push(
      `kind: SecurityLevel\nmetadata: { name: role-${r}, provider: bench }\nspec:\n  name: Bench Role ${r}\n  description: Bench role ${r}\n  permissions:\n    generalLedger/accounts: [list, view]\n    accountsPayable/bills: [list, view, add]`,
    );
  for (let g = 0; g < groups; g++)
    docs.push(
      `kind: Group\nmetadata: { name: group-${g}, provider: bench }\nspec:\n  name: BENCH_GROUP_${g}\n  description: Bench group ${g}\n  roles: [{ ref: role-${g % roles} }]`,
    );
  for (let i = 0; i < total - roles - groups; i++) {
    const id = `WS_BENCH_${String(i).padStart(6, '0')}`;
    const email = `${id.toLowerCase()}@example.com`;
    docs.push(
      `kind: ServiceAccount\nmetadata: { name: u${i}, provider: bench, labels: { owner: bench, purpose: bench } }\nspec:\n  id: ${id}\n  userName: Bench ${i}\n  email: ${email}\n  contact: { firstName: Bench, lastName: U${i}, email: ${email} }\n  userType: business\n  adminPrivileges: off\n  status: active\n  roles: [{ ref: role-${Math.floor(i / 100) % roles} }]\n  groups: [{ ref: group-${i % groups} }]`,
    );
  }
  writeFileSync(
    path.join(dir, 'provider.yaml'),
    'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: bench }\nspec: { type: intacct, endpoint: sandbox, companyId: bench-co }\n',
  );
  writeFileSync(
    path.join(dir, 'resources.yaml'),
    `${docs.map((d) => `apiVersion: roster/v1\n${d}`).join('\n---\n')}\n`,
  );
}

interface World {
  state: StateDocument;
  remote: RemoteSnapshot;
  replace?: ReadonlySet<string>;
  mode?: 'normal' | 'refresh-only';
  targets?: ReadonlySet<string>;
}

function plan(project: Project, world: World) {
  return planProject({
    project,
    state: world.state,
    remote: world.remote,
    mode: world.mode ?? 'normal',
    ...(world.targets ? { targets: world.targets } : {}),
    ...(world.replace ? { replace: world.replace } : {}),
    stats: { ...STATS },
    now: NOW,
  });
}

function emptyState(): StateDocument {
  return { version: 1, lineage: 'golden', serial: 1, resources: {} };
}

/** Every kind of every provider the project configures, read and found empty. */
function emptyRemote(project: Project): RemoteSnapshot {
  const out: RemoteSnapshot = new Map();
  for (const p of project.providers.values()) {
    const kinds = new Map<string, RemoteObject[]>();
    for (const [kind, def] of Object.entries(p.provider.kinds))
      if (kindCapabilities(def).read !== 'none') kinds.set(kind, []);
    out.set(p.name, kinds);
  }
  return out;
}

const reveal = (v: unknown): unknown =>
  isSecret(v)
    ? v.reveal()
    : Array.isArray(v)
      ? v.map(reveal)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]))
        : v;

/** Attributes as the system holds them after an apply, and as state records them. */
function appliedAttributes(spec: Record<string, unknown>, def: KindDefinition) {
  const remote: Record<string, unknown> = {};
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    const rule = def.attributes[k];
    if (rule?.local) continue;
    if (rule?.sensitive || rule?.writeOnly || JSON.stringify(reveal(v)) !== JSON.stringify(v)) {
      const value = isSecret(v) ? v.reveal() : JSON.stringify(reveal(v));
      state[k] = fingerprintSecret(value, 'golden');
      continue;
    }
    remote[k] = v;
    state[k] = v;
  }
  return { remote, state };
}

/** The project applied as declared: every resource exists, state records it. */
function appliedWorld(project: Project): World {
  const state = emptyState();
  const remote = emptyRemote(project);
  project.desired.forEach((d, i) => {
    const def = project.kindOf(d.provider, d.kind)!;
    const attrs = appliedAttributes(d.spec, def);
    const object: RemoteObject = { id: `id-${i}`, naturalKey: d.naturalKey, attributes: attrs.remote };
    if (kindCapabilities(def).read !== 'none') remote.get(d.provider)!.get(d.kind)!.push(object);
    state.resources[d.address] = {
      provider: d.provider,
      kind: d.kind,
      name: d.name,
      id: object.id,
      naturalKey: d.naturalKey,
      attributes: attrs.state,
      dependencies: d.dependencies,
      remoteFingerprint: remoteFingerprint(object),
      credentialsIssuedAt: '2025-01-01T00:00:00Z',
      ...attestationsOf(attrs.state, def, i),
    };
  });
  return { state, remote };
}

/** Unreadable attributes confirmed long ago (every other resource) or never (the rest). */
function attestationsOf(
  attrs: Record<string, unknown>,
  def: KindDefinition,
  i: number,
): Pick<StateResource, 'attestations'> {
  const keys = Object.keys(attrs).filter((k) => def.attributes[k]?.verifiable === false);
  if (keys.length === 0) return {};
  if (i % 2 === 1) for (const k of keys) delete attrs[k];
  const at = i % 4 === 0 ? '2025-01-01T00:00:00Z' : '2026-05-01T00:00:00Z';
  return {
    attestations: Object.fromEntries(
      keys.filter((k) => k in attrs).map((k) => [k, { by: 'golden', at, via: 'operator' as const }]),
    ),
  };
}

/**
 * The applied project, then changed: resource i gets change i mod 7 (none, an attribute edited in
 * the system, its natural key changed, deleted outside, never recorded in state, deactivated, its
 * first create-only attribute edited); one resource of each kind was removed from the manifests
 * (some protected, some deleted on removal, some gone already); the first untouched one is
 * `--replace`d, and so is the first with a changed natural key. `benign`: only the changes
 * that need no decision (edits, deleted outside, adopted, deactivated, removals the kind can
 * carry out), so that the plan has no error and is reviewed (permissions, policies); a declared
 * key is also taken, in another spelling, by an object roster does not manage.
 */
function changedWorld(project: Project, applied: World, benign: boolean): World {
  const state: StateDocument = structuredClone(applied.state);
  const remote: RemoteSnapshot = new Map(
    [...applied.remote].map(([p, kinds]) => [
      p,
      new Map([...kinds].map(([k, list]) => [k, list.map((o) => structuredClone(o))])),
    ]),
  );
  const replace = new Set<string>();
  const removedKinds = new Set<string>();
  project.desired.forEach((d, i) => {
    const def = project.kindOf(d.provider, d.kind)!;
    const list = remote.get(d.provider)?.get(d.kind);
    const at = list?.findIndex((o) => o.id === `id-${i}`) ?? -1;
    const object = list?.[at];
    const change = benign ? [0, 1, 3, 4, 5][i % 5]! : i % 7;
    if (!benign && change === 0 && replace.size === 0) replace.add(d.address);
    if (!benign && change === 2 && i === 2) replace.add(d.address);
    if (benign && change === 3 && list) {
      const spelling =
        d.naturalKey.toLowerCase() === d.naturalKey ? d.naturalKey.toUpperCase() : d.naturalKey.toLowerCase();
      list.push({
        id: `unmanaged-${i}`,
        naturalKey: spelling === d.naturalKey ? `${d.naturalKey}\u200B` : spelling,
        attributes: {},
      });
    }
    if (object && change === 1) editOne(object, def, (k) => k !== def.naturalKeyAttribute);
    if (object && change === 2) {
      object.naturalKey = `${object.naturalKey}-old`;
      const key = object.attributes[def.naturalKeyAttribute];
      if (typeof key === 'string') object.attributes[def.naturalKeyAttribute] = `${key}-old`;
    }
    if (change === 3 && list && at >= 0) list.splice(at, 1);
    if (change === 4) delete state.resources[d.address];
    if (object && change === 5) {
      if (def.deactivation) {
        object.deactivated = true;
        object.attributes[def.deactivation.attribute] = def.deactivation.value;
      } else object.modifiedBy = 'someone';
    }
    if (object && change === 6)
      editOne(object, def, (k) =>
        Boolean(def.attributes[k]?.fixedAtCreation || def.attributes[k]?.immutable),
      );
    // Seen changed since the last apply, with nothing to do: state catches up.
    if (object && change === 0 && i % 2 === 0 && state.resources[d.address])
      state.resources[d.address]!.remoteFingerprint = 'changed-since';
    // One resource of each kind is also in state under another name, no longer declared.
    const kindId = `${d.provider}/${d.kind}`;
    if (removedKinds.has(kindId)) return;
    removedKinds.add(kindId);
    const variants = benign
      ? (['plain', 'on-remove-delete', 'gone', 'deactivated'] as const).filter(
          (v) =>
            kindCapabilities(def)[v === 'plain' && def.deleteMode === 'deactivate' ? 'update' : 'delete'] !==
            'none',
        )
      : (['plain', 'protected', 'on-remove-delete', 'gone', 'deactivated'] as const);
    for (const variant of variants) {
      const address = `${kindId}/removed-${variant}`;
      const id = `removed-${variant}-${i}`;
      const naturalKey = `${d.naturalKey}-removed-${variant}`;
      const attrs = appliedAttributes(d.spec, def);
      const o: RemoteObject = { id, naturalKey, attributes: attrs.remote };
      if (variant === 'deactivated' && def.deactivation) {
        o.deactivated = true;
        o.attributes[def.deactivation.attribute] = def.deactivation.value;
      }
      if (variant !== 'gone' && kindCapabilities(def).read !== 'none') list?.push(o);
      state.resources[address] = {
        provider: d.provider,
        kind: d.kind,
        name: `removed-${variant}`,
        id,
        naturalKey,
        attributes: attrs.state,
        dependencies: [],
        remoteFingerprint: remoteFingerprint(o),
        ...(variant === 'protected' ? { lifecycle: { preventDestroy: true } } : {}),
        ...(variant === 'on-remove-delete' ? { lifecycle: { onRemove: 'delete' as const } } : {}),
      };
    }
  });
  return { state, remote, replace };
}

/** Changes the first string (or boolean) attribute `pick` accepts, as if edited in the system. */
function editOne(object: RemoteObject, def: KindDefinition, pick: (key: string) => boolean): void {
  for (const [k, v] of Object.entries(object.attributes)) {
    if (!pick(k) || def.attributes[k]?.verifiable === false) continue;
    if (typeof v === 'string') {
      object.attributes[k] = `${v}-edited`;
      return;
    }
    if (typeof v === 'boolean') {
      object.attributes[k] = !v;
      return;
    }
    if (Array.isArray(v) && v.length > 0) {
      object.attributes[k] = v.slice(1);
      return;
    }
  }
}
