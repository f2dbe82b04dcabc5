import jsonpatch from 'fast-json-patch';
import type { Diagnostic } from '../diagnostics.js';
import type { AttributeRule, Execution, KindDefinition, Operation, RemoteObject } from '../provider.js';
import { isSecret, matchesFingerprint, SENSITIVE_PLACEHOLDER } from '../secret.js';
import type { StateDocument, StateResource } from '../state/types.js';
import { canonical, fingerprint, sameValue } from './canonical.js';
import type { DesiredResource } from './desired.js';
import { detectDrift } from './drift.js';
import {
  type Action,
  type PatchOperation,
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlannedChange,
  type PlanProvider,
  type PlanStats,
  type PlanSummary,
  type Reason,
  type Risk,
} from './types.js';

/** Remote objects by `provider` then `kind`, as refreshed. A missing kind was not read. */
export type RemoteSnapshot = Map<string, Map<string, RemoteObject[]>>;

/** Everything `assemblePlan` needs. It does no I/O: loading and refreshing happen before. */
export interface PlanInput {
  mode: 'normal' | 'refresh-only';
  desired: DesiredResource[];
  /** Addresses in dependency order (dependencies first); used to order changes. */
  order: string[];
  state: StateDocument;
  remote: RemoteSnapshot;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  /** `--replace ADDR`: replacements the operator asked for on this run. */
  replace: ReadonlySet<string>;
  /** `--target ADDR`: only these resources (and what they depend on). */
  targets?: ReadonlySet<string>;
  providers: PlanProvider[];
  sources: string[];
  stats: PlanStats;
  /** Diagnostics from loading, carried into the plan. */
  diagnostics: Diagnostic[];
  now: Date;
}

interface Draft {
  address: string;
  provider: string;
  kind: string;
  action: Action;
  reasons: Reason[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  operation: Operation;
  /** Extra operations this change also performs (e.g. a replace removes the old object). */
  alsoOperations?: Operation[];
  risk: Risk;
  steps?: string[];
  id?: string;
  naturalKey: string;
  remoteFingerprint?: string;
  /** Addresses whose changes must come first. */
  after_addresses: string[];
  name: string;
  dependencies: string[];
  lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate' };
  rules: Record<string, AttributeRule>;
}

/** Fingerprint of a remote object as apply compares it (attributes and activation). */
export function remoteFingerprint(object: RemoteObject): string {
  return fingerprint({ attributes: object.attributes, deactivated: object.deactivated === true });
}

/**
 * Build the plan from desired resources, state and refreshed remote objects, honouring each kind's
 * attribute rules. Pure: the same input always gives the same plan.
 */
export function assemblePlan(input: PlanInput): Plan {
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const drafts: Draft[] = [];
  const removals: Draft[] = [];
  const forget: string[] = [];
  const accept: Plan['accept'] = [];
  const blockedReplacements: string[] = [];
  const desiredByAddress = new Map(input.desired.map((d) => [d.address, d]));

  const remoteIndex = indexRemote(input.remote);

  const error = (d: DesiredResource | undefined, pointer: string, code: string, message: string) => {
    const pos = d?.positionOf(pointer);
    diagnostics.push({
      severity: 'error',
      code,
      message,
      address: d?.address,
      ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
    });
  };

  const drift = detectDrift({ state: input.state, remote: input.remote, kindOf: input.kindOf });

  if (input.mode === 'refresh-only') {
    for (const entry of drift) {
      if (entry.status === 'deleted') forget.push(entry.address);
      else {
        const st = input.state.resources[entry.address];
        const obj = st && remoteIndex.byId(st.provider, st.kind, st.id);
        if (st && obj) {
          accept.push({
            address: entry.address,
            attributes: project(obj.attributes, Object.keys(st.attributes)),
            remoteFingerprint: remoteFingerprint(obj),
          });
        }
      }
    }
    return finish(input, [], drift, diagnostics, forget, accept, blockedReplacements);
  }

  for (const address of orderedDesired(input)) {
    const d = desiredByAddress.get(address);
    if (!d) continue;
    const def = input.kindOf(d.provider, d.kind);
    if (!def) continue; // reported at load time
    const rules = def.attributes;
    const st = input.state.resources[d.address];
    const kindLoaded = input.remote.get(d.provider)?.has(d.kind) ?? false;
    if (!kindLoaded) continue;

    let remote: RemoteObject | undefined;
    let matchedBy: 'state' | 'naturalKey' | undefined;
    if (st) {
      remote = remoteIndex.byId(d.provider, d.kind, st.id);
      if (remote) matchedBy = 'state';
    }
    if (!remote) {
      const byKey = remoteIndex.byKey(d.provider, d.kind, d.naturalKey);
      if (byKey) {
        if (byKey.conflict) {
          error(d, `/spec/${def.naturalKeyAttribute}`, 'plan.natural-key-conflict', byKey.conflict);
          continue;
        }
        remote = byKey;
        matchedBy = 'naturalKey';
      }
    }

    const desiredAttrs = d.spec;
    const keys = Object.keys(desiredAttrs);

    if (!remote) {
      const reasons: Reason[] = [];
      if (st) {
        reasons.push({
          path: '',
          rule: 'deleted-outside',
          message: `${d.kind} ${st.naturalKey} (id ${st.id}) no longer exists in the system; it will be created again`,
        });
      }
      pushCreate(drafts, d, def, desiredAttrs, reasons);
      continue;
    }

    // The object exists: compare only what the manifest sets (the manifest owns those fields).
    const changed: string[] = [];
    for (const key of keys) {
      const rule = rules[key];
      if (!attributeEqual(desiredAttrs[key], remote.attributes[key], rule, st?.attributes[key]))
        changed.push(key);
    }
    // A deactivated object put back in the manifests is reactivated, never created twice.
    const deact = def.deactivation;
    let reactivate = false;
    if (deact && remote.deactivated && !(deact.attribute in desiredAttrs)) {
      reactivate = true;
    }

    const before = project(remote.attributes, keys);
    const natKeyChanged = remote.naturalKey !== d.naturalKey;
    const replacing: string[] = [];
    for (const key of natKeyChanged && !changed.includes(def.naturalKeyAttribute)
      ? [...changed, def.naturalKeyAttribute]
      : changed) {
      const rule = rules[key];
      if (rule?.immutable) {
        if (d.lifecycle.allowReplace || input.replace.has(d.address)) replacing.push(key);
        else
          error(
            d,
            `/spec/${key}`,
            'rule.immutable',
            `${key} of ${d.kind} ${remote.naturalKey} cannot be changed once created (${fmt(before[key])} → ${fmt(desiredAttrs[key])}); set lifecycle.allowReplace: true to replace the object instead`,
          );
      } else if (rule?.fixedAtCreation) {
        replacing.push(key);
      }
    }
    if (diagnostics.some((x) => x.severity === 'error' && x.address === d.address)) continue;

    const fp = remoteFingerprint(remote);
    if (replacing.length > 0) {
      const allowed = d.lifecycle.allowReplace === true || input.replace.has(d.address);
      if (!allowed) blockedReplacements.push(d.address);
      const after = createAttributes(desiredAttrs, rules);
      drafts.push({
        address: d.address,
        provider: d.provider,
        kind: d.kind,
        action: 'replace',
        reasons: replacing.map((key) => ({
          path: `/${key}`,
          rule: rules[key]?.immutable ? 'immutable' : 'fixedAtCreation',
          message: `${key} can only be set when the object is created (${fmt(before[key])} → ${fmt(desiredAttrs[key])}): a new object replaces ${remote.naturalKey}, which will be ${def.deleteMode === 'deactivate' ? 'deactivated' : 'deleted'}${d.kind === 'ServiceAccount' ? '; the new account gets new credentials and integrations using the old one break' : ''}${allowed ? '' : '; apply refuses until lifecycle.allowReplace: true or --replace ' + d.address}`,
        })),
        before,
        after: after.attrs,
        operation: 'create',
        alsoOperations: [def.deleteMode === 'deactivate' ? 'update' : 'delete'],
        risk: 'high',
        id: remote.id,
        naturalKey: d.naturalKey,
        remoteFingerprint: fp,
        after_addresses: d.dependencies,
        ...meta(d),
        rules,
      });
      pushFollowUp(drafts, d, def, desiredAttrs, after);
      continue;
    }

    if (changed.length === 0 && !reactivate) {
      if (matchedBy === 'naturalKey') {
        drafts.push({
          address: d.address,
          provider: d.provider,
          kind: d.kind,
          action: 'import',
          reasons: [
            {
              path: '',
              rule: 'adopt',
              message: `${d.kind} ${remote.naturalKey} already exists in the system as declared; it is adopted into state (no write)`,
            },
          ],
          before,
          after: before,
          operation: 'read',
          risk: 'low',
          id: remote.id,
          naturalKey: d.naturalKey,
          remoteFingerprint: fp,
          after_addresses: d.dependencies,
          ...meta(d),
          rules,
        });
      } else if (
        st &&
        (st.remoteFingerprint !== fp || !sameValue(st.attributes, project(desiredAttrs, keys)))
      ) {
        accept.push({ address: d.address, attributes: before, remoteFingerprint: fp });
      }
      continue;
    }

    const after: Record<string, unknown> = { ...before };
    const reasons: Reason[] = [];
    if (matchedBy === 'naturalKey') {
      reasons.push({
        path: '',
        rule: 'adopt',
        message: `${d.kind} ${remote.naturalKey} already exists in the system but not in state; it is adopted and updated`,
      });
    }
    for (const key of changed) {
      after[key] = desiredAttrs[key];
      reasons.push({
        path: `/${key}`,
        rule: 'changed',
        message: describeChange(key, before[key], desiredAttrs[key], rules[key]),
      });
    }
    if (reactivate && deact) {
      after[deact.attribute] = deact.activeValue;
      reasons.push({
        path: `/${deact.attribute}`,
        rule: 'deleteMode',
        message: `${d.kind} ${remote.naturalKey} is deactivated in the system; it is reactivated (${deact.attribute}: ${fmt(deact.activeValue)})`,
      });
    } else if (deact && remote.deactivated && changed.includes(deact.attribute)) {
      reasons.push({
        path: `/${deact.attribute}`,
        rule: 'deleteMode',
        message: `${d.kind} ${remote.naturalKey} was deactivated; it is reactivated, not created again`,
      });
    }
    const changedAll = reactivate && deact ? [...changed, deact.attribute] : changed;
    drafts.push({
      address: d.address,
      provider: d.provider,
      kind: d.kind,
      action: 'update',
      reasons,
      before,
      after,
      operation: 'update',
      risk: changedAll.some((k) => rules[k]?.privilege || rules[k]?.ref) ? 'medium' : 'low',
      steps: def.updateSteps?.({ changed: changedAll }),
      id: remote.id,
      naturalKey: d.naturalKey,
      remoteFingerprint: fp,
      after_addresses: d.dependencies,
      ...meta(d),
      rules,
    });
  }

  // Resources in state that no manifest declares any more.
  const removedAddresses = Object.keys(input.state.resources)
    .filter((a) => !desiredByAddress.has(a))
    .sort();
  const stateOrder = reverseDependencyOrder(input.state, removedAddresses);
  for (const address of stateOrder) {
    const st = input.state.resources[address]!;
    if (input.targets && !input.targets.has(address)) continue;
    const def = input.kindOf(st.provider, st.kind);
    if (!def) {
      diagnostics.push({
        severity: 'error',
        code: 'plan.unknown-kind',
        address,
        message: `state holds ${address}, but provider ${st.provider} is not declared in the manifests (or does not support ${st.kind}); declare it again, or run: roster state rm ${address}`,
      });
      continue;
    }
    if (!input.remote.get(st.provider)?.has(st.kind)) continue;
    const remote = remoteIndex.byId(st.provider, st.kind, st.id);
    if (!remote) {
      forget.push(address);
      continue;
    }
    if (st.lifecycle?.preventDestroy) {
      diagnostics.push({
        severity: 'error',
        code: 'rule.prevent-destroy',
        address,
        message: `${address} was removed from the manifests but has lifecycle.preventDestroy: true; put it back, or remove preventDestroy first (apply it), then remove the resource`,
      });
      continue;
    }
    const mode = st.lifecycle?.onRemove ?? def.deleteMode;
    if (mode === 'deactivate') {
      const deact = def.deactivation;
      if (!deact)
        throw new Error(
          `kind ${st.kind} of ${st.provider} declares deactivate without a deactivation attribute`,
        );
      if (remote.deactivated) {
        forget.push(address);
        continue;
      }
      const keys = Object.keys(st.attributes);
      const before = project(
        remote.attributes,
        keys.includes(deact.attribute) ? keys : [...keys, deact.attribute],
      );
      removals.push({
        address,
        provider: st.provider,
        kind: st.kind,
        action: 'deactivate',
        reasons: [
          {
            path: `/${deact.attribute}`,
            rule: 'deleteMode',
            message: `removed from the manifests: ${st.kind} ${st.naturalKey} is deactivated (${deact.attribute}: ${fmt(deact.value)}), not deleted — the system keeps it for its audit trail`,
          },
        ],
        before,
        after: { ...before, [deact.attribute]: deact.value },
        operation: 'update',
        risk: 'high',
        id: st.id,
        naturalKey: st.naturalKey,
        remoteFingerprint: remoteFingerprint(remote),
        after_addresses: dependentsInState(input.state, address),
        name: st.name,
        dependencies: st.dependencies,
        rules: def.attributes,
      });
    } else {
      const before = project(remote.attributes, Object.keys(st.attributes));
      removals.push({
        address,
        provider: st.provider,
        kind: st.kind,
        action: 'delete',
        reasons: [
          {
            path: '',
            rule: st.lifecycle?.onRemove === 'delete' ? 'onRemove' : 'deleteMode',
            message: `removed from the manifests: ${st.kind} ${st.naturalKey} is deleted`,
          },
        ],
        before,
        after: null,
        operation: 'delete',
        risk: 'high',
        id: st.id,
        naturalKey: st.naturalKey,
        remoteFingerprint: remoteFingerprint(remote),
        after_addresses: dependentsInState(input.state, address),
        name: st.name,
        dependencies: st.dependencies,
        rules: def.attributes,
      });
    }
  }

  let all = [...drafts, ...removals];
  if (input.targets) all = all.filter((c) => withDependencies(input, input.targets!).has(c.address));

  const changes: PlannedChange[] = [];
  const lastIndexByAddress = new Map<string, number[]>();
  for (const draft of all) {
    const def = input.kindOf(draft.provider, draft.kind)!;
    const execution = combineExecution(
      [draft.operation, ...(draft.alsoOperations ?? [])].map((op) => def.capabilities[op]),
    );
    if (execution === 'none') {
      diagnostics.push({
        severity: 'error',
        code: 'plan.unsupported-operation',
        address: draft.address,
        message: `${draft.action} of a ${draft.provider} ${draft.kind} is not possible in this system`,
      });
    }
    const dependsOn = new Set<number>();
    for (const dep of [draft.address, ...draft.after_addresses]) {
      for (const i of lastIndexByAddress.get(dep) ?? []) dependsOn.add(i);
    }
    const index = changes.length;
    changes.push({
      index,
      address: draft.address,
      provider: draft.provider,
      kind: draft.kind,
      action: draft.action,
      reasons: draft.reasons,
      patch: maskPatch(
        jsonpatch.compare(plain(draft.before ?? {}), plain(draft.after ?? {})) as PatchOperation[],
        draft.rules,
      ),
      before: mask(draft.before, draft.rules),
      after: mask(draft.after, draft.rules),
      execution: execution === 'none' ? 'manual' : execution,
      risk: draft.risk,
      ...(draft.steps && draft.steps.length > 0 ? { steps: draft.steps } : {}),
      ...(draft.id !== undefined ? { id: draft.id } : {}),
      naturalKey: draft.naturalKey,
      ...(draft.remoteFingerprint ? { remoteFingerprint: draft.remoteFingerprint } : {}),
      name: draft.name,
      dependencies: draft.dependencies,
      ...(draft.lifecycle ? { lifecycle: draft.lifecycle } : {}),
      dependsOn: [...dependsOn].sort((a, b) => a - b),
    });
    const list = lastIndexByAddress.get(draft.address) ?? [];
    list.push(index);
    lastIndexByAddress.set(draft.address, list);
  }

  return finish(input, changes, drift, diagnostics, forget, accept, blockedReplacements);
}

function finish(
  input: PlanInput,
  changes: PlannedChange[],
  drift: Plan['drift'],
  diagnostics: Diagnostic[],
  forget: string[],
  accept: Plan['accept'],
  blockedReplacements: string[],
): Plan {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    deactivate: 0,
    delete: 0,
    rotate: 0,
    import: 0,
    manual: 0,
  };
  for (const c of changes) {
    if (c.action !== 'no-op') summary[c.action] += 1;
    if (c.execution === 'manual') summary.manual += 1;
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: input.mode,
    lineage: input.state.lineage,
    serial: input.state.serial,
    createdAt: input.now.toISOString(),
    summary,
    changes,
    drift,
    findings: [],
    diagnostics,
    stats: input.stats,
    sources: input.sources,
    blockedReplacements: [...new Set(blockedReplacements)],
    forget: [...new Set(forget)],
    accept,
    providers: input.providers,
  };
}

/** Creates, with the follow-up update when a declared value is not allowed at creation (`createValues`). */
function pushCreate(
  drafts: Draft[],
  d: DesiredResource,
  def: KindDefinition,
  desired: Record<string, unknown>,
  reasons: Reason[],
): void {
  const rules = def.attributes;
  const created = createAttributes(desired, rules);
  drafts.push({
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    action: 'create',
    reasons: [
      ...reasons,
      ...created.substituted.map((key) => ({
        path: `/${key}`,
        rule: 'createValues',
        message: `a new ${d.kind} cannot be created with ${key} ${fmt(desired[key])}: it is created as ${fmt(rules[key]?.createAs)}, then updated`,
      })),
    ],
    before: null,
    after: created.attrs,
    operation: 'create',
    risk: 'low',
    naturalKey: d.naturalKey,
    after_addresses: d.dependencies,
    ...meta(d),
    rules,
  });
  pushFollowUp(drafts, d, def, desired, created);
}

function pushFollowUp(
  drafts: Draft[],
  d: DesiredResource,
  def: KindDefinition,
  desired: Record<string, unknown>,
  created: { attrs: Record<string, unknown>; substituted: string[] },
): void {
  if (created.substituted.length === 0) return;
  const rules = def.attributes;
  drafts.push({
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    action: 'update',
    reasons: created.substituted.map((key) => ({
      path: `/${key}`,
      rule: 'createValues',
      message: `after creation, ${key} is set to ${fmt(desired[key])} (${fmt(rules[key]?.createAs)} → ${fmt(desired[key])})`,
    })),
    before: created.attrs,
    after: { ...created.attrs, ...Object.fromEntries(created.substituted.map((k) => [k, desired[k]])) },
    operation: 'update',
    risk: 'low',
    naturalKey: d.naturalKey,
    after_addresses: [],
    ...meta(d),
    rules,
  });
}

function createAttributes(
  desired: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): { attrs: Record<string, unknown>; substituted: string[] } {
  const attrs: Record<string, unknown> = { ...desired };
  const substituted: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    const rule = rules[key];
    if (rule?.createValues && !rule.createValues.some((v) => sameValue(v, value))) {
      attrs[key] = rule.createAs;
      substituted.push(key);
    }
  }
  return { attrs, substituted };
}

function attributeEqual(
  desired: unknown,
  remote: unknown,
  rule: AttributeRule | undefined,
  stateValue: unknown,
): boolean {
  if (rule?.sensitive || rule?.writeOnly || containsSecret(desired)) {
    // The system does not give the value back: compare with the fingerprint roster recorded.
    if (typeof stateValue !== 'string') return false;
    return secretsMatch(desired, stateValue);
  }
  return sameValue(canonical(desired, rule), canonical(remote, rule));
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === 'object') return Object.values(value).some(containsSecret);
  return false;
}

function secretsMatch(desired: unknown, stateFingerprint: string): boolean {
  if (isSecret(desired)) return matchesFingerprint(desired.reveal(), stateFingerprint);
  return matchesFingerprint(JSON.stringify(revealAll(desired)), stateFingerprint);
}

/** The value with secrets revealed (only for fingerprinting and for the API call itself). */
export function revealAll(value: unknown): unknown {
  if (isSecret(value)) return value.reveal();
  if (Array.isArray(value)) return value.map(revealAll);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealAll(v)]));
  }
  return value;
}

function plain(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function mask(
  value: Record<string, unknown> | null,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> | null {
  if (!value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = rules[k]?.sensitive || rules[k]?.writeOnly ? SENSITIVE_PLACEHOLDER : plainValue(v);
  }
  return out;
}

function plainValue(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function maskPatch(ops: PatchOperation[], rules: Record<string, AttributeRule>): PatchOperation[] {
  return ops.map((op) => {
    const top = op.path.split('/')[1] ?? '';
    const rule = rules[top];
    if ((rule?.sensitive || rule?.writeOnly) && 'value' in op) return { ...op, value: SENSITIVE_PLACEHOLDER };
    return op;
  });
}

function meta(d: DesiredResource): Pick<Draft, 'name' | 'dependencies' | 'lifecycle'> {
  const lifecycle: Draft['lifecycle'] = {};
  if (d.lifecycle.preventDestroy) lifecycle.preventDestroy = true;
  if (d.lifecycle.onRemove) lifecycle.onRemove = d.lifecycle.onRemove;
  return {
    name: d.name,
    dependencies: d.dependencies,
    ...(Object.keys(lifecycle).length > 0 ? { lifecycle } : {}),
  };
}

function combineExecution(list: Execution[]): Execution {
  if (list.includes('none')) return 'none';
  if (list.includes('manual')) return 'manual';
  return 'api';
}

/** Only the given keys of an object (the attributes the manifest owns). */
export function project(attrs: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (attrs[k] !== undefined) out[k] = attrs[k];
  return out;
}

function describeChange(
  key: string,
  before: unknown,
  after: unknown,
  rule: AttributeRule | undefined,
): string {
  if (rule?.sensitive || rule?.writeOnly) return `${key} changes (sensitive)`;
  if (before === undefined) return `${key} is set to ${fmt(after)}`;
  if (Array.isArray(before) && Array.isArray(after) && rule?.set) {
    const b = new Set(before.map((x) => JSON.stringify(canonical(x, rule))));
    const a = new Set(after.map((x) => JSON.stringify(canonical(x, rule))));
    const added = [...a].filter((x) => !b.has(x)).map(shortRef);
    const removed = [...b].filter((x) => !a.has(x)).map(shortRef);
    return [
      added.length ? `${key} gains ${added.join(', ')}` : '',
      removed.length ? `${key} loses ${removed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return `${key}: ${fmt(before)} → ${fmt(after)}`;
}

function shortRef(json: string): string {
  const v = JSON.parse(json) as unknown;
  if (v && typeof v === 'object' && 'ref' in v) return String((v as { ref: unknown }).ref);
  return typeof v === 'string' ? v : json;
}

/** A value as one short line for messages. */
export function fmt(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (isSecret(value)) return SENSITIVE_PLACEHOLDER;
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(plainValue(value));
}

function orderedDesired(input: PlanInput): string[] {
  const seen = new Set(input.order);
  const rest = input.desired.map((d) => d.address).filter((a) => !seen.has(a));
  return [...input.order, ...rest];
}

/** Removed resources ordered so that dependents go first (a user before the role it held). */
function reverseDependencyOrder(state: StateDocument, addresses: string[]): string[] {
  const set = new Set(addresses);
  const visited = new Set<string>();
  const out: string[] = [];
  const visit = (a: string, stack: Set<string>) => {
    if (visited.has(a) || stack.has(a)) return;
    stack.add(a);
    for (const dep of state.resources[a]?.dependencies ?? []) if (set.has(dep)) visit(dep, stack);
    stack.delete(a);
    visited.add(a);
    out.push(a);
  };
  for (const a of addresses) visit(a, new Set());
  return out.reverse();
}

function dependentsInState(state: StateDocument, address: string): string[] {
  const out: string[] = [];
  for (const [a, r] of Object.entries(state.resources) as Array<[string, StateResource]>) {
    if (r.dependencies.includes(address)) out.push(a);
  }
  return out;
}

function withDependencies(input: PlanInput, targets: ReadonlySet<string>): Set<string> {
  const byAddress = new Map(input.desired.map((d) => [d.address, d]));
  const out = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (out.has(a)) continue;
    out.add(a);
    for (const dep of byAddress.get(a)?.dependencies ?? []) stack.push(dep);
  }
  return out;
}

interface RemoteIndex {
  byId(provider: string, kind: string, id: string): RemoteObject | undefined;
  byKey(provider: string, kind: string, key: string): RemoteObject | undefined;
}

function indexRemote(remote: RemoteSnapshot): RemoteIndex {
  const ids = new Map<string, RemoteObject>();
  const keys = new Map<string, RemoteObject>();
  for (const [provider, kinds] of remote) {
    for (const [kind, objects] of kinds) {
      for (const o of objects) {
        ids.set(`${provider}\u0000${kind}\u0000${o.id}`, o);
        const k = `${provider}\u0000${kind}\u0000${o.naturalKey}`;
        // Prefer the manageable object when a natural key is shared with a conflicting one.
        if (!keys.has(k) || keys.get(k)?.conflict) keys.set(k, o);
      }
    }
  }
  return {
    byId: (p, k, id) => ids.get(`${p}\u0000${k}\u0000${id}`),
    byKey: (p, k, key) => keys.get(`${p}\u0000${k}\u0000${key}`),
  };
}
