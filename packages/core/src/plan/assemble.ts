import type { Diagnostic } from '../diagnostics.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { PendingStep, StateDocument, StateResource } from '../state/types.js';
import type { DesiredResource } from './desired.js';
import { detectDrift } from './drift.js';
import { project } from './project-attributes.js';
import { remoteFingerprint } from './remote-fingerprint.js';
import { indexRemote, type RemoteIndex } from './remote-index.js';
import { type RemoteSnapshot, withUnreadableKinds } from './remote-snapshot.js';
import {
  type AttestedView,
  attestationEntries,
  attestedView,
  DEFAULT_ATTESTATION_MAX_AGE_DAYS,
  reconfirmDraft,
} from './steps/attestation.js';
import { toChanges } from './steps/changes.js';
import { LookAlikeKeys, planCreate } from './steps/create.js';
import { diffAttributes } from './steps/diff.js';
import { type Draft, desiredSubject, type Subject } from './steps/draft.js';
import { withoutIgnored } from './steps/ignore-changes.js';
import { matchRemote, orderedDesired } from './steps/matching.js';
import { needsReactivation } from './steps/reactivation.js';
import { acceptDrift } from './steps/refresh-only.js';
import { relinkBefore } from './steps/relink.js';
import { planRemovals } from './steps/removals.js';
import { forcedReplacementRefusals, replaceDrafts, replacingKeys } from './steps/replacement.js';
import { rotation } from './steps/rotation.js';
import { withDependencies } from './steps/targets.js';
import { adoptDraft, stateCatchUp } from './steps/unchanged.js';
import { updateDraft } from './steps/update.js';
import { summarizeChanges } from './summary.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanProvider, type PlanStats } from './types.js';

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

/** What planning one declared resource gives. */
interface ResourcePlan {
  drafts: Draft[];
  diagnostics: Diagnostic[];
  accept?: Plan['accept'][number];
  /** A replacement apply refuses until allowed. */
  blocked?: boolean;
  /** Names a reference to this object may carry, when `execute` removes it before re-creating it. */
  removedFirst?: Set<string>;
}

/** What every resource's planning reads: the input, and the snapshot indexed once. */
interface Context {
  input: PlanInput;
  index: RemoteIndex;
  lookAlikes: LookAlikeKeys;
  removedFirst: ReadonlyMap<string, ReadonlySet<string>>;
  /** Addresses with an error so far (a resource with one gets no change). */
  failed: ReadonlySet<string | undefined>;
  outputOf(address: string, output: string): unknown;
  maxAgeDays(provider: string): number;
}

/**
 * Build the plan from desired resources, state and refreshed remote objects, honouring each kind's
 * attribute rules. Pure: the same input always gives the same plan. The steps are in `steps/`.
 */
export function assemblePlan(input: PlanInput): Plan {
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  // The state's addresses, listed and sorted once for every step that goes through state: listing
  // the keys of an object this large is itself a sort, and several steps did it.
  const stateAddresses = Object.keys(input.state.resources).sort();
  const snapshot = withUnreadableKinds({ ...input, stateAddresses });
  const index = indexRemote(snapshot);
  const drift = detectDrift({
    state: input.state,
    remote: snapshot,
    kindOf: input.kindOf,
    index,
    addresses: stateAddresses,
  });
  const finish = (p: Pick<Plan, 'changes' | 'forget' | 'accept' | 'blockedReplacements'>) =>
    planDocument(input, stateAddresses, { ...p, drift, diagnostics });
  if (input.mode === 'refresh-only') {
    const { forget, accept } = acceptDrift({ drift, state: input.state, index });
    return finish({ changes: [], forget, accept, blockedReplacements: [] });
  }

  const failed = new Set<string | undefined>();
  for (const x of input.diagnostics) if (x.severity === 'error') failed.add(x.address);
  const removedFirst = new Map<string, Set<string>>();
  const ctx: Context = {
    input,
    index,
    lookAlikes: new LookAlikeKeys(snapshot, input.desired),
    removedFirst,
    failed,
    outputOf: (address, output) => {
      const st = input.state.resources[address];
      return st ? index.byId(st.provider, st.kind, st.id)?.outputs?.[output] : undefined;
    },
    maxAgeDays: (provider) => input.attestationMaxAgeDays?.get(provider) ?? DEFAULT_ATTESTATION_MAX_AGE_DAYS,
  };
  const drafts: Draft[] = [];
  const accept: Plan['accept'] = [];
  const blockedReplacements: string[] = [];
  const desiredByAddress = new Map(input.desired.map((d) => [d.address, d]));
  for (const address of orderedDesired(input)) {
    const d = desiredByAddress.get(address);
    const def = d && input.kindOf(d.provider, d.kind);
    // An unknown kind is reported at load time; a kind not read is left as it is.
    if (!d || !def || !snapshot.get(d.provider)?.has(d.kind)) continue;
    const r = planResource(ctx, d, def);
    drafts.push(...r.drafts);
    diagnostics.push(...r.diagnostics);
    for (const x of r.diagnostics) if (x.severity === 'error') failed.add(x.address);
    if (r.accept) accept.push(r.accept);
    if (r.blocked) blockedReplacements.push(d.address);
    if (r.removedFirst) removedFirst.set(d.address, r.removedFirst);
  }

  const removals = planRemovals({
    state: input.state,
    removed: stateAddresses.filter((a) => !desiredByAddress.has(a)),
    ...(input.targets ? { targets: input.targets } : {}),
    kindOf: input.kindOf,
    snapshot,
    index,
  });
  diagnostics.push(...removals.diagnostics);
  let all = [...drafts, ...removals.drafts];
  if (input.targets) {
    const wanted = withDependencies(input.desired, input.targets);
    all = all.filter((c) => wanted.has(c.address));
  }
  const { changes, diagnostics: impossible } = toChanges(all, input.kindOf);
  diagnostics.push(...impossible);
  return finish({ changes, forget: removals.forget, accept, blockedReplacements });
}

/** One declared resource: matched, then created, or compared and replaced, updated or left alone. */
function planResource(ctx: Context, d: DesiredResource, def: KindDefinition): ResourcePlan {
  const subject = desiredSubject(d, def);
  const st = ctx.input.state.resources[d.address];
  const match = matchRemote(d, def, st, ctx.index);
  if (match.remote)
    return planExisting(ctx, { d, def, subject, st, remote: match.remote, matchedBy: match.matchedBy });
  if (match.conflict) return { drafts: [], diagnostics: [match.conflict] };
  return planCreate({ d, def, subject, st, lookAlikes: ctx.lookAlikes });
}

/** A declared resource whose object exists in the system. */
interface Existing {
  d: DesiredResource;
  def: KindDefinition;
  subject: Subject;
  st: StateResource | undefined;
  /** The object as the system gives it. */
  remote: RemoteObject;
  matchedBy: 'state' | 'naturalKey';
}

/** The object exists: compare, then replace it (rules allowing), or update it or leave it in place. */
function planExisting(ctx: Context, x: Existing): ResourcePlan {
  const { input } = ctx;
  const { d, def, subject, st } = x;
  const rules = def.attributes;
  const desired = subject.desired ?? {};
  // `lifecycle.ignoreChanges`: set at creation (from `desired`), then left alone.
  const managed = withoutIgnored(desired, d.lifecycle.ignoreChanges);
  const keys = Object.keys(managed);
  // Fingerprint of the object as the system gives it (apply compares the same thing).
  const fp = remoteFingerprint(x.remote);
  const recorded = st && st.id === x.remote.id ? st : undefined;
  const pending = input.state.pending?.[d.address];
  const view = attestedView({
    keys,
    rules,
    remote: x.remote,
    recorded,
    pending,
    maxAgeDays: ctx.maxAgeDays(d.provider),
    now: input.now,
  });
  const remote = view.remote;
  const diff = diffAttributes({
    provider: d.provider,
    keys,
    skip: view.unattested,
    rules,
    desired,
    remote: remote.attributes,
    state: st?.attributes,
    outputOf: ctx.outputOf,
    removedFirst: ctx.removedFirst,
  });
  const before = relinkBefore({
    before: project(remote.attributes, keys),
    relinked: diff.relinked,
    desired,
    rules,
    removedFirst: ctx.removedFirst,
    provider: d.provider,
  });
  const changed = [...diff.changed, ...diff.relinked];

  const replaceAllowed = d.lifecycle.allowReplace === true || input.replace.has(d.address);
  const rep = replacingKeys({ d, def, changed, remote, before, desired, replaceAllowed });
  const forced = rep.replacing.length === 0 && input.replace.has(d.address);
  const diagnostics = [...rep.diagnostics];
  if (forced) {
    const failed = ctx.failed.has(d.address) || diagnostics.length > 0;
    diagnostics.push(...forcedReplacementRefusals({ d, def, remote, failed }));
  }
  if (ctx.failed.has(d.address) || diagnostics.length > 0) return { drafts: [], diagnostics };

  if (rep.replacing.length > 0 || forced) {
    const allowed = forced || replaceAllowed;
    const natKeyChanged = remote.naturalKey !== d.naturalKey;
    // `execute` deletes first any replaced object whose natural key the new one keeps.
    const first = (forced || !natKeyChanged) && def.deleteMode === 'delete';
    return {
      drafts: replaceDrafts({
        d,
        def,
        subject,
        replacing: rep.replacing,
        forced,
        allowed,
        before,
        remote,
        fp,
      }),
      diagnostics,
      ...(allowed ? {} : { blocked: true }),
      ...(first ? { removedFirst: new Set([d.name, remote.naturalKey, remote.id]) } : {}),
    };
  }
  const reactivate = needsReactivation(def, remote, desired);
  return planInPlace(ctx, x, { remote, before, fp, changed, reactivate, view, pending, managed, recorded });
}

/** What comparing an existing object found (see `planExisting`). */
interface Compared {
  /** The object with unreadable attributes as confirmed. */
  remote: RemoteObject;
  before: Record<string, unknown>;
  fp: string;
  changed: string[];
  reactivate: boolean;
  view: AttestedView;
  pending: PendingStep | undefined;
  managed: Record<string, unknown>;
  recorded: StateResource | undefined;
}

/**
 * The object stays: adopted, caught up in state or updated; then unreadable attributes to confirm
 * again and credentials to rotate.
 */
function planInPlace(ctx: Context, x: Existing, c: Compared): ResourcePlan {
  const { d, def, subject, st } = x;
  const { remote, before, fp } = c;
  const drafts: Draft[] = [];
  let accept: Plan['accept'][number] | undefined;
  let toConfirm = c.view.toConfirm;
  if (c.changed.length === 0 && !c.reactivate) {
    if (x.matchedBy === 'naturalKey')
      drafts.push(
        adoptDraft({ subject, remote, before, fp, fromRunbook: c.view.fromRunbook, pending: c.pending }),
      );
    else if (st) accept = stateCatchUp({ subject, st, managed: c.managed, before, fp });
  } else {
    const update = updateDraft({
      subject,
      def,
      remote,
      matchedBy: x.matchedBy,
      before,
      changed: c.changed,
      reactivate: c.reactivate,
      fromRunbook: c.view.fromRunbook,
      fp,
    });
    drafts.push(update);
    toConfirm = toConfirm.filter((k) => !update.changed!.includes(k));
  }
  const reconfirm = reconfirmDraft(subject, toConfirm, before, remote, fp);
  if (reconfirm) drafts.push(reconfirm);
  const rotate = rotation({ d, def, subject, recorded: c.recorded, before, remote, fp, now: ctx.input.now });
  if (rotate.draft) drafts.push(rotate.draft);
  return { drafts, diagnostics: rotate.diagnostics, ...(accept ? { accept } : {}) };
}

/** The plan document around the changes. */
function planDocument(
  input: PlanInput,
  stateAddresses: readonly string[],
  p: Pick<Plan, 'changes' | 'drift' | 'diagnostics' | 'forget' | 'accept' | 'blockedReplacements'>,
): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: input.mode,
    lineage: input.state.lineage,
    serial: input.state.serial,
    createdAt: input.now.toISOString(),
    summary: summarizeChanges(p.changes),
    changes: p.changes,
    drift: p.drift,
    attestations: attestationEntries({
      state: input.state,
      stateAddresses,
      maxAgeDays: (provider) =>
        input.attestationMaxAgeDays?.get(provider) ?? DEFAULT_ATTESTATION_MAX_AGE_DAYS,
      now: input.now,
    }),
    findings: [],
    diagnostics: p.diagnostics,
    stats: input.stats,
    sources: input.sources,
    blockedReplacements: [...new Set(p.blockedReplacements)],
    forget: [...new Set(p.forget)],
    accept: p.accept,
    providers: input.providers,
  };
}
