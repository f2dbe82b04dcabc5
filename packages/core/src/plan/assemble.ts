import jsonpatch from 'fast-json-patch';
import type { Diagnostic } from '../diagnostics.js';
import type {
  AttributeRule,
  Execution,
  KindDefinition,
  ManualOperation,
  Operation,
  RemoteObject,
} from '../provider.js';
import { isSecret, matchesFingerprint, SENSITIVE_PLACEHOLDER } from '../secret.js';
import type { StateDocument, StateResource } from '../state/types.js';
import {
  canonical,
  containsOutputRef,
  fingerprint,
  isOutputRef,
  sameCanonical,
  sameValue,
} from './canonical.js';
import type { DesiredResource } from './desired.js';
import { detectDrift } from './drift.js';
import { LookAlikeIndex, lookAlikeDifference, showKey } from './look-alike.js';
import { indexRemote } from './remote-index.js';
import {
  type Action,
  type ManualPart,
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
  /** Days an attestation holds, per provider name (default `DEFAULT_ATTESTATION_MAX_AGE_DAYS`). */
  attestationMaxAgeDays?: ReadonlyMap<string, number>;
}

/** How long a person's confirmation of an unreadable attribute holds before it is asked again. */
export const DEFAULT_ATTESTATION_MAX_AGE_DAYS = 90;

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
  lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate'; ignoreChanges?: string[] };
  rules: Record<string, AttributeRule>;
  /** What a manual step does, when this change is (or may be) one. */
  manualOperation?: ManualOperation;
  /** Attributes an update changes (decides api or manual per attribute). */
  changed?: string[];
  /** reconfirm: the attested attributes to confirm again. */
  reconfirm?: string[];
  attestFromRunbook?: string[];
  credentials?: Record<string, string>;
  /** All desired attributes (for the runbook), references as target natural keys. */
  desired?: Record<string, unknown>;
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

  // The state's addresses, listed and sorted once for every step that goes through state: listing
  // the keys of an object this large is itself a sort, and several steps did it.
  const stateAddresses = Object.keys(input.state.resources).sort();
  const snapshot = withUnreadableKinds({ ...input, stateAddresses });
  const remoteIndex = indexRemote(snapshot);
  /** The value of `output` of the object at `address`, as refreshed (undefined: not known yet). */
  const outputOf = (address: string, output: string): unknown => {
    const st = input.state.resources[address];
    return st ? remoteIndex.byId(st.provider, st.kind, st.id)?.outputs?.[output] : undefined;
  };

  // Addresses with an error so far (a resource with one gets no change): looked up per resource,
  // so kept as a set rather than searched for in the diagnostics each time.
  const failed = new Set<string | undefined>();
  for (const x of input.diagnostics) if (x.severity === 'error') failed.add(x.address);
  const error = (d: DesiredResource | undefined, pointer: string, code: string, message: string) => {
    const pos = d?.positionOf(pointer);
    failed.add(d?.address);
    diagnostics.push({
      severity: 'error',
      code,
      message,
      address: d?.address,
      ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
    });
  };

  // Natural keys per provider and kind, existing and declared, to warn of a new look-alike key.
  const lookAlikes = new Map<string, { index: LookAlikeIndex; existing: Set<string> }>();
  const lookAlikesOf = (provider: string, kind: string) => {
    const id = `${provider}\u0000${kind}`;
    let entry = lookAlikes.get(id);
    if (!entry) {
      entry = { index: new LookAlikeIndex(), existing: new Set() };
      for (const o of snapshot.get(provider)?.get(kind) ?? []) {
        entry.index.add(String(o.naturalKey));
        entry.existing.add(String(o.naturalKey));
      }
      for (const other of input.desired) {
        if (other.provider === provider && other.kind === kind) entry.index.add(other.naturalKey);
      }
      lookAlikes.set(id, entry);
    }
    return entry;
  };

  const drift = detectDrift({
    state: input.state,
    remote: snapshot,
    kindOf: input.kindOf,
    index: remoteIndex,
    addresses: stateAddresses,
  });

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
    return finish(input, stateAddresses, [], drift, diagnostics, forget, accept, blockedReplacements);
  }

  // Objects a forced `--replace` removes before re-creating (the key is kept): address → the names
  // a reference to it may carry. Resources declared after them (dependency order) that refer to
  // one lose it when it is removed, so they are planned to refer to the new one again.
  const removedFirst = new Map<string, Set<string>>();
  for (const address of orderedDesired(input)) {
    const d = desiredByAddress.get(address);
    if (!d) continue;
    const def = input.kindOf(d.provider, d.kind);
    if (!def) continue; // reported at load time
    const rules = def.attributes;
    const st = input.state.resources[d.address];
    const kindLoaded = snapshot.get(d.provider)?.has(d.kind) ?? false;
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

    // `local` attributes (credentials) are roster's own: never diffed, never sent.
    const desiredAttrs = withoutLocal(d.spec, rules);
    const credentials = credentialOrigins(d.spec, rules);
    // `lifecycle.ignoreChanges`: set at creation (below, from `desiredAttrs`), then left alone.
    const managed = withoutIgnored(desiredAttrs, d.lifecycle.ignoreChanges);
    const keys = Object.keys(managed);
    const extra = {
      desired: desiredAttrs,
      ...(credentials ? { credentials } : {}),
    };

    if (!remote) {
      const reasons: Reason[] = [];
      if (st) {
        reasons.push({
          path: '',
          rule: 'deleted-outside',
          message: `${d.kind} ${st.naturalKey} (id ${st.id}) no longer exists in the system; it will be created again`,
        });
      }
      const like = lookAlikesOf(d.provider, d.kind);
      for (const other of like.index.like(d.naturalKey)) {
        const pos = d.positionOf(`/spec/${def.naturalKeyAttribute}`);
        const which = like.existing.has(other) ? `the existing ${d.kind}` : `the declared ${d.kind}`;
        diagnostics.push({
          severity: 'warning',
          code: 'plan.look-alike-key',
          message: `${def.naturalKeyAttribute} ${showKey(d.naturalKey)} differs from ${which} ${showKey(other)} ${lookAlikeDifference(d.naturalKey, other)}: it is created as another ${d.kind} beside it. If it means that one, write its ${def.naturalKeyAttribute} exactly`,
          address: d.address,
          ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
        });
      }
      pushCreate(drafts, d, def, desiredAttrs, reasons, extra);
      continue;
    }

    // Attributes the system cannot report are compared with what a person confirmed (state).
    // Fingerprint of the object as the system gives it (apply compares the same thing).
    const fp = remoteFingerprint(remote);
    const recorded = st && st.id === remote.id ? st : undefined;
    const unverifiable = keys.filter((k) => rules[k]?.verifiable === false);
    const unattested = unverifiable.filter((k) => !recorded || !(k in recorded.attributes));
    if (unverifiable.length > 0) {
      const attrs = { ...remote.attributes };
      for (const k of unverifiable) {
        if (recorded && k in recorded.attributes) attrs[k] = recorded.attributes[k];
        else delete attrs[k];
      }
      remote = { ...remote, attributes: attrs };
    }
    // A runbook step handed out earlier created this object: its readable attributes are checked
    // below, and the unreadable ones rest on the step the operator was given.
    const pending = input.state.pending?.[d.address];
    const fromRunbook = !recorded && pending?.operation === 'create' ? unattested : [];
    const toConfirm = fromRunbook.length > 0 ? [] : [...unattested];
    if (recorded?.attestations) {
      const maxDays = input.attestationMaxAgeDays?.get(d.provider) ?? DEFAULT_ATTESTATION_MAX_AGE_DAYS;
      for (const [k, a] of Object.entries(recorded.attestations)) {
        const ageDays = (input.now.getTime() - Date.parse(a.at)) / 86_400_000;
        if (keys.includes(k) && ageDays > maxDays && !toConfirm.includes(k)) toConfirm.push(k);
      }
    }

    // The object exists: compare only what the manifest sets (the manifest owns those fields).
    const changed: string[] = [];
    const relinked: string[] = [];
    for (const key of keys) {
      if (unattested.includes(key)) continue;
      const rule = rules[key];
      // `{ref, output}` compares by the value the target produces; unknown yet means changed.
      // (An attested attribute is compared as recorded: state keeps the reference, not the value.)
      // (Values without one are compared as they are: `withOutputs` would copy them for nothing.)
      const value = desiredAttrs[key];
      const want =
        rule?.verifiable === false || !containsOutputRef(value) ? value : withOutputs(value, outputOf);
      if (want === UNKNOWN_OUTPUT || !attributeEqual(want, remote.attributes[key], rule, st?.attributes[key]))
        changed.push(key);
      else if (rule?.ref && refsTo(value, removedFirst, `${d.provider}/${rule.ref}/`).size > 0)
        relinked.push(key);
    }
    // A deactivated object put back in the manifests is reactivated, never created twice.
    const deact = def.deactivation;
    let reactivate = false;
    if (deact && remote.deactivated && !(deact.attribute in desiredAttrs)) {
      reactivate = true;
    }

    const before = project(remote.attributes, keys);
    for (const key of relinked) {
      // What the system will hold once the replaced object is removed: the references to it gone.
      const names = refsTo(desiredAttrs[key], removedFirst, `${d.provider}/${rules[key]!.ref}/`);
      before[key] = withoutRefs(before[key], names);
      changed.push(key);
    }
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
    // `--replace ADDR` with nothing requiring it: the operator forces a replacement (Terraform's
    // `apply -replace`), where the kind can create and remove the object by API.
    const removal = def.deleteMode === 'deactivate' ? 'update' : 'delete';
    const forced = replacing.length === 0 && input.replace.has(d.address);
    if (forced && (def.capabilities.create !== 'api' || def.capabilities[removal] !== 'api')) {
      error(
        d,
        '',
        'replace.unsupported',
        `--replace ${d.address}: roster cannot replace a ${d.kind} (create: ${def.capabilities.create}, ${def.deleteMode === 'deactivate' ? 'deactivate' : 'delete'}: ${def.capabilities[removal]}); a manual replacement is a runbook step in the system, not a plan: remove --replace`,
      );
    }
    if (forced && def.deleteMode === 'deactivate' && !failed.has(d.address)) {
      error(
        d,
        '',
        'replace.unsupported',
        `--replace ${d.address}: a deactivated ${d.kind} keeps ${def.naturalKeyAttribute} ${remote.naturalKey}, so no new one can be made beside it; change ${def.naturalKeyAttribute} with lifecycle.allowReplace: true instead`,
      );
    }
    if (failed.has(d.address)) continue;
    // `execute` deletes first any replaced object whose natural key the new one keeps.
    if ((forced || (replacing.length > 0 && !natKeyChanged)) && def.deleteMode === 'delete')
      removedFirst.set(d.address, new Set([d.name, remote.naturalKey, remote.id]));

    if (replacing.length > 0 || forced) {
      const allowed = forced || d.lifecycle.allowReplace === true || input.replace.has(d.address);
      if (!allowed) blockedReplacements.push(d.address);
      const after = createAttributes(desiredAttrs, rules);
      const consequence = `a new object replaces ${remote.naturalKey}, which will be ${def.deleteMode === 'deactivate' ? 'deactivated' : 'deleted'}${def.role === 'account' ? '; the new account gets new credentials and integrations using the old one break' : ''}`;
      drafts.push({
        address: d.address,
        provider: d.provider,
        kind: d.kind,
        action: 'replace',
        reasons: forced
          ? [{ path: '', rule: 'replace', message: `replacement requested with --replace: ${consequence}` }]
          : replacing.map((key) => ({
              path: `/${key}`,
              rule: rules[key]?.immutable ? 'immutable' : 'fixedAtCreation',
              message: `${key} can only be set when the object is created (${fmt(before[key])} → ${fmt(desiredAttrs[key])}): ${consequence}${allowed ? '' : '; apply refuses until lifecycle.allowReplace: true or --replace ' + d.address}`,
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
        ...extra,
      });
      pushFollowUp(drafts, d, def, desiredAttrs, after, extra);
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
          after: { ...before, ...project(desiredAttrs, fromRunbook) },
          operation: 'read',
          risk: 'low',
          id: remote.id,
          naturalKey: d.naturalKey,
          remoteFingerprint: fp,
          after_addresses: d.dependencies,
          ...meta(d),
          rules,
          ...extra,
          ...(fromRunbook.length > 0 ? { attestFromRunbook: fromRunbook } : {}),
        });
        if (fromRunbook.length > 0) {
          drafts[drafts.length - 1]!.reasons.push({
            path: '',
            rule: 'runbook',
            message: `the runbook step handed out ${pending?.issuedAt ?? ''} is done: ${fromRunbook.join(', ')} recorded as attested`,
          });
        }
      } else if (
        st &&
        (st.remoteFingerprint !== fp ||
          // (`managed` as written equals its projection on its own keys: no copy needed.)
          !sameValue(st.attributes, managed) ||
          !sameValue(st.lifecycle ?? {}, meta(d).lifecycle ?? {}))
      ) {
        // Nothing to do in the system; state catches up (including lifecycle settings, so that
        // removing preventDestroy and applying lets the resource be removed next).
        accept.push({
          address: d.address,
          attributes: before,
          remoteFingerprint: fp,
          lifecycle: meta(d).lifecycle ?? {},
        });
      }
      pushReconfirm(drafts, d, toConfirm, before, remote, fp, extra, rules);
      pushRotation(drafts, diagnostics, d, def, recorded, before, remote, fp, extra, input.now);
      continue;
    }

    const after: Record<string, unknown> = { ...before, ...project(desiredAttrs, fromRunbook) };
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
      changed: changedAll,
      ...extra,
      ...(fromRunbook.length > 0 ? { attestFromRunbook: fromRunbook } : {}),
    });
    pushReconfirm(
      drafts,
      d,
      toConfirm.filter((k) => !changedAll.includes(k)),
      before,
      remote,
      fp,
      extra,
      rules,
    );
    pushRotation(drafts, diagnostics, d, def, recorded, before, remote, fp, extra, input.now);
  }

  // Resources in state that no manifest declares any more.
  const removedAddresses = stateAddresses.filter((a) => !desiredByAddress.has(a));
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
    if (!snapshot.get(st.provider)?.has(st.kind)) continue;
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
        manualOperation: 'deactivate',
        changed: [deact.attribute],
        desired: st.attributes,
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
        desired: st.attributes,
      });
    }
  }

  let all = [...drafts, ...removals];
  if (input.targets) all = all.filter((c) => withDependencies(input, input.targets!).has(c.address));

  const changes: PlannedChange[] = [];
  const lastIndexByAddress = new Map<string, number[]>();
  for (const draft of all) {
    const def = input.kindOf(draft.provider, draft.kind)!;
    const { execution, apiAttributes, manualAttributes } = executionOf(draft, def);
    if (execution === 'none') {
      diagnostics.push({
        severity: 'error',
        code: 'plan.unsupported-operation',
        address: draft.address,
        message: `${draft.action} of a ${draft.provider} ${draft.kind} is not possible in this system`,
      });
    }
    const manual =
      execution === 'manual' ? manualPart(draft, def, apiAttributes, manualAttributes) : undefined;
    const attested = Object.keys(draft.after ?? {}).filter((k) => draft.rules[k]?.verifiable === false);
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
      ...(manual ? { manual } : {}),
      ...(attested.length > 0 ? { attested } : {}),
      ...(draft.attestFromRunbook ? { attestFromRunbook: draft.attestFromRunbook } : {}),
      ...(draft.credentials ? { credentials: draft.credentials } : {}),
    });
    const list = lastIndexByAddress.get(draft.address) ?? [];
    list.push(index);
    lastIndexByAddress.set(draft.address, list);
  }

  return finish(input, stateAddresses, changes, drift, diagnostics, forget, accept, blockedReplacements);
}

function finish(
  input: PlanInput,
  stateAddresses: readonly string[],
  changes: PlannedChange[],
  drift: Plan['drift'],
  diagnostics: Diagnostic[],
  forget: string[],
  accept: Plan['accept'],
  blockedReplacements: string[],
): Plan {
  const summary = summarizeChanges(changes);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: input.mode,
    lineage: input.state.lineage,
    serial: input.state.serial,
    createdAt: input.now.toISOString(),
    summary,
    changes,
    drift,
    attestations: attestationEntries(input, stateAddresses),
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

/** Every attestation in state, with when it expires (sorted by address, then attribute). */
function attestationEntries(input: PlanInput, stateAddresses: readonly string[]): Plan['attestations'] {
  const out: Plan['attestations'] = [];
  for (const address of stateAddresses) {
    const r = input.state.resources[address]!;
    const attestations = r.attestations;
    if (!attestations) continue;
    const days = input.attestationMaxAgeDays?.get(r.provider) ?? DEFAULT_ATTESTATION_MAX_AGE_DAYS;
    for (const attribute of Object.keys(attestations).sort()) {
      const a = attestations[attribute]!;
      const expires = new Date(Date.parse(a.at) + days * 86_400_000);
      out.push({
        address,
        attribute,
        by: a.by,
        at: a.at,
        via: a.via,
        expiresAt: expires.toISOString(),
        expired: expires.getTime() < input.now.getTime(),
      });
    }
  }
  return out;
}

/** Creates, with the follow-up update when a declared value is not allowed at creation (`createValues`). */
function pushCreate(
  drafts: Draft[],
  d: DesiredResource,
  def: KindDefinition,
  desired: Record<string, unknown>,
  reasons: Reason[],
  extra: Pick<Draft, 'desired' | 'credentials'>,
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
    ...extra,
  });
  pushFollowUp(drafts, d, def, desired, created, extra);
}

function pushFollowUp(
  drafts: Draft[],
  d: DesiredResource,
  def: KindDefinition,
  desired: Record<string, unknown>,
  created: { attrs: Record<string, unknown>; substituted: string[] },
  extra: Pick<Draft, 'desired' | 'credentials'>,
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
    changed: created.substituted,
    ...extra,
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
  return sameCanonical(desired, remote, rule);
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

/** The attributes `lifecycle.ignoreChanges` leaves alone, taken out (the same object when none). */
function withoutIgnored(attrs: Record<string, unknown>, ignored: readonly string[] | undefined) {
  if (!ignored?.some((k) => k in attrs)) return attrs;
  const out = { ...attrs };
  for (const k of ignored) delete out[k];
  return out;
}

function meta(d: DesiredResource): Pick<Draft, 'name' | 'dependencies' | 'lifecycle'> {
  const lifecycle: Draft['lifecycle'] = {};
  if (d.lifecycle.preventDestroy) lifecycle.preventDestroy = true;
  if (d.lifecycle.onRemove) lifecycle.onRemove = d.lifecycle.onRemove;
  // Recorded in state, so drift (system against state) leaves these attributes alone too.
  if (d.lifecycle.ignoreChanges?.length) lifecycle.ignoreChanges = [...d.lifecycle.ignoreChanges];
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

/**
 * How a change is carried out: by operation from the kind's capabilities, and for updates per
 * attribute (an attribute may only be changeable in the system's UI).
 */
function executionOf(
  draft: Draft,
  def: KindDefinition,
): { execution: Execution; apiAttributes: string[]; manualAttributes: string[] } {
  if (draft.manualOperation === 'reconfirm')
    return { execution: 'manual', apiAttributes: [], manualAttributes: draft.reconfirm ?? [] };
  if (draft.action === 'rotate')
    return { execution: def.rotate ?? 'none', apiAttributes: [], manualAttributes: [] };
  const apiAttributes: string[] = [];
  const manualAttributes: string[] = [];
  const list: Execution[] = [];
  for (const op of [draft.operation, ...(draft.alsoOperations ?? [])]) {
    if (op === 'read') continue; // adopting an object only reads it
    if (op !== 'update' || !draft.changed) {
      list.push(def.capabilities[op]);
      continue;
    }
    for (const key of draft.changed) {
      const e = draft.rules[key]?.update ?? def.capabilities.update;
      list.push(e);
      if (e === 'api') apiAttributes.push(key);
      else manualAttributes.push(key);
    }
  }
  return { execution: list.length === 0 ? 'api' : combineExecution(list), apiAttributes, manualAttributes };
}

/** The manual step of a change, with the provider's runbook (or a plain one when it has none). */
function manualPart(
  draft: Draft,
  def: KindDefinition,
  apiAttributes: string[],
  manualAttributes: string[],
): ManualPart {
  const operation: ManualOperation =
    draft.manualOperation ??
    (draft.operation === 'create' ? 'create' : draft.operation === 'delete' ? 'delete' : 'update');
  const attributes = plainRecord(draft.desired ?? draft.after ?? draft.before ?? {});
  const changes =
    operation === 'update' || operation === 'deactivate'
      ? Object.fromEntries(manualAttributes.map((k) => [k, plainValue(draft.after?.[k])]))
      : undefined;
  const req = {
    operation,
    kind: draft.kind,
    address: draft.address,
    name: draft.name,
    naturalKey: draft.naturalKey,
    attributes: stripSensitive(attributes, draft.rules),
    ...(changes ? { changes: stripSensitive(changes, draft.rules) } : {}),
    ...(draft.before ? { prior: stripSensitive(plainRecord(draft.before), draft.rules) } : {}),
    ...(draft.reconfirm ? { reconfirm: draft.reconfirm } : {}),
  };
  const runbook = def.runbook?.(req) ?? {
    system: draft.provider,
    title: `${operation} ${draft.kind} ${draft.naturalKey}`,
    uiPath: [],
    fields: Object.entries(changes ?? req.attributes).map(([label, value]) => ({
      label,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
  };
  return {
    operation,
    runbook,
    apiAttributes: operation === 'update' ? apiAttributes : [],
    attributes: operation === 'create' ? Object.keys(req.attributes) : manualAttributes,
  };
}

function plainRecord(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function stripSensitive(
  value: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (rules[k]?.sensitive || rules[k]?.writeOnly || rules[k]?.local) continue;
    out[k] = v;
  }
  return out;
}

/** The spec without roster-only (`local`) attributes. */
function withoutLocal(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (!rules[k]?.local) out[k] = spec[k];
  return out;
}

/** Where each credential of the resource is kept (`env:…`/`file:…`), from its `local` attributes. */
function credentialOrigins(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (!rules[k]?.local || !v || typeof v !== 'object') continue;
    for (const [name, value] of Object.entries(v)) {
      if (!isSecret(value)) continue;
      out ??= {};
      out[name] = value.origin;
    }
  }
  return out;
}

/**
 * A `rotate` change when the account's credentials are older than `credentials.rotateAfterDays`
 * (counted from when roster last saw them issued); a warning when the system cannot rotate them.
 */
function pushRotation(
  drafts: Draft[],
  diagnostics: Diagnostic[],
  d: DesiredResource,
  def: KindDefinition,
  recorded: StateResource | undefined,
  before: Record<string, unknown>,
  remote: RemoteObject,
  fp: string,
  extra: Pick<Draft, 'desired' | 'credentials'>,
  now: Date,
): void {
  const days = rotateAfterDaysOf(d.spec, def.attributes);
  if (days === undefined || !recorded?.credentialsIssuedAt) return;
  const issued = Date.parse(recorded.credentialsIssuedAt);
  const due = issued + days * 86_400_000;
  if (due > now.getTime()) return;
  const age = Math.floor((now.getTime() - issued) / 86_400_000);
  const message = `credentials issued ${recorded.credentialsIssuedAt.slice(0, 10)} are ${age} days old; rotateAfterDays is ${days}`;
  if (!def.rotate || def.rotate === 'none') {
    const pos = d.positionOf('/spec/credentials/rotateAfterDays');
    diagnostics.push({
      severity: 'warning',
      code: 'credentials.rotation-due',
      message: `${message}, and ${d.kind} credentials cannot be rotated by roster in this system: rotate them by hand`,
      address: d.address,
      ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
    });
    return;
  }
  if (def.rotationWarning) {
    const pos = d.positionOf('/spec/credentials/rotateAfterDays');
    diagnostics.push({
      severity: 'warning',
      code: def.rotationWarning.code,
      message: def.rotationWarning.message,
      address: d.address,
      ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
    });
  }
  drafts.push({
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    action: 'rotate',
    reasons: [
      { path: '/credentials', rule: 'rotateAfterDays', message: `${message}: new credentials are issued` },
    ],
    before,
    after: before,
    operation: 'update',
    risk: 'medium',
    id: remote.id,
    naturalKey: d.naturalKey,
    remoteFingerprint: fp,
    after_addresses: d.dependencies,
    ...meta(d),
    rules: def.attributes,
    manualOperation: 'rotate',
    ...extra,
  });
}

/** `credentials.rotateAfterDays` of a resource (in its `local` attribute), when declared. */
export function rotateAfterDaysOf(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): number | undefined {
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (!rules[k]?.local || !v || typeof v !== 'object') continue;
    const days = (v as Record<string, unknown>).rotateAfterDays;
    if (typeof days === 'number' && days > 0) return days;
  }
  return undefined;
}

/** Marks a `{ref, output}` whose target has not produced the value yet (it is created in this run). */
export const UNKNOWN_OUTPUT: unique symbol = Symbol('unknown output');

/**
 * The value with every `{ref, output}` replaced by what its target produces; `UNKNOWN_OUTPUT` when
 * any is not known yet. Used for comparing only: plans and state keep the reference itself, so a
 * produced value (possibly a secret) is never written anywhere.
 */
export function withOutputs(value: unknown, outputOf: (address: string, output: string) => unknown): unknown {
  if (isOutputRef(value)) {
    const v = outputOf(value.ref, value.output);
    return v === undefined ? UNKNOWN_OUTPUT : v;
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => withOutputs(v, outputOf));
    return out.includes(UNKNOWN_OUTPUT) ? UNKNOWN_OUTPUT : out;
  }
  if (value && typeof value === 'object' && !isSecret(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = withOutputs(v, outputOf);
      if (r === UNKNOWN_OUTPUT) return UNKNOWN_OUTPUT;
      out[k] = r;
    }
    return out;
  }
  return value;
}

/** A manual step that confirms again what roster cannot read (missing or expired attestations). */
function pushReconfirm(
  drafts: Draft[],
  d: DesiredResource,
  attributes: string[],
  before: Record<string, unknown>,
  remote: RemoteObject,
  fp: string,
  extra: Pick<Draft, 'desired' | 'credentials'>,
  rules: Record<string, AttributeRule>,
): void {
  if (attributes.length === 0) return;
  const values = Object.fromEntries(attributes.map((k) => [k, d.spec[k]]));
  drafts.push({
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    action: 'no-op',
    reasons: attributes.map((k) => ({
      path: `/${k}`,
      rule: 'attestation',
      message:
        k in before
          ? `${k} cannot be read from the system and its last confirmation has expired: confirm it is still ${fmt(d.spec[k])}`
          : `${k} cannot be read from the system and no one has confirmed it yet: confirm it is ${fmt(d.spec[k])}`,
    })),
    before,
    after: { ...before, ...values },
    operation: 'update',
    risk: 'low',
    id: remote.id,
    naturalKey: d.naturalKey,
    remoteFingerprint: fp,
    after_addresses: d.dependencies,
    ...meta(d),
    rules,
    manualOperation: 'reconfirm',
    reconfirm: attributes,
    ...extra,
  });
}

/**
 * The snapshot with kinds the system cannot read (capability `read: none`) filled from state:
 * such objects exist as far as roster knows because roster made them, or a person confirmed them.
 */
export function withUnreadableKinds(input: {
  remote: RemoteSnapshot;
  state: StateDocument;
  desired: ReadonlyArray<{ provider: string; kind: string }>;
  kindOf: PlanInput['kindOf'];
  /** The keys of `state.resources`, when the caller has listed them already. */
  stateAddresses?: readonly string[];
}): RemoteSnapshot {
  const out: RemoteSnapshot = new Map();
  for (const [p, kinds] of input.remote) out.set(p, new Map(kinds));
  // Kinds in use, by provider: nested rather than under joined keys, which would make a new string
  // for each of the (many) resources.
  const wanted = new Map<string, Set<string>>();
  let last: { provider: string; kind: string } | undefined;
  const want = (r: { provider: string; kind: string }) => {
    // Resources mostly come grouped by kind: one like the one before adds nothing.
    if (last && last.provider === r.provider && last.kind === r.kind) return;
    last = r;
    const set = wanted.get(r.provider);
    if (set) set.add(r.kind);
    else wanted.set(r.provider, new Set([r.kind]));
  };
  for (const d of input.desired) want(d);
  for (const address of input.stateAddresses ?? Object.keys(input.state.resources)) {
    want(input.state.resources[address]!);
  }
  for (const [provider, kindsWanted] of wanted) {
    const kinds = out.get(provider);
    if (!kinds) continue;
    for (const kind of kindsWanted) {
      if (kinds.has(kind) || input.kindOf(provider, kind)?.capabilities.read !== 'none') continue;
      kinds.set(
        kind,
        Object.values(input.state.resources)
          .filter((r) => r.provider === provider && r.kind === kind)
          .map((r) => ({ id: r.id, naturalKey: r.naturalKey, attributes: r.attributes })),
      );
    }
  }
  return out;
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

/** Counts per action, and of manual steps, of a plan's changes. */
export function summarizeChanges(
  changes: readonly Pick<PlannedChange, 'action' | 'execution'>[],
): PlanSummary {
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
  return summary;
}

/**
 * The names, as `{ ref: … }` in `value` and as the system reports them, of the objects of
 * `removedFirst` that `value` refers to (`prefix` is `provider/Kind/` of the reference).
 */
function refsTo(
  value: unknown,
  removedFirst: ReadonlyMap<string, ReadonlySet<string>>,
  prefix: string,
): Set<string> {
  const names = new Set<string>();
  if (removedFirst.size === 0) return names;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      const ref = (v as { ref?: unknown }).ref;
      // A reference names its target by manifest name, or (resolved) by its natural key.
      if (typeof ref === 'string')
        for (const [address, known] of removedFirst)
          if (address.startsWith(prefix) && (address === prefix + ref || known.has(ref)))
            for (const n of known) names.add(n);
    }
  };
  walk(value);
  return names;
}

/** `value` without the `{ ref: name }` items (or the single reference) naming one of `names`. */
function withoutRefs(value: unknown, names: ReadonlySet<string>): unknown {
  const named = (v: unknown) =>
    Boolean(v) && typeof v === 'object' && names.has(String((v as { ref?: unknown }).ref));
  if (Array.isArray(value)) return value.filter((v) => !named(v));
  return named(value) ? null : value;
}
