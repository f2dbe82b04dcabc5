import type { Diagnostic } from '../../diagnostics.js';
import type { KindDefinition } from '../../provider.js';
import type { StateResource } from '../../state/types.js';
import type { DesiredResource } from '../desired.js';
import { LookAlikeIndex, lookAlikeDifference, showKey } from '../look-alike.js';
import type { RemoteSnapshot } from '../remote-snapshot.js';
import type { Reason } from '../types.js';
import { createAttributes, createValuesReasons, followUpDraft } from './create-values.js';
import { diagnosticAt } from './diagnostic-at.js';
import { type Draft, draft, type Subject } from './draft.js';

/** Natural keys per provider and kind, existing and declared, made on first use. */
export class LookAlikeKeys {
  readonly #byKind = new Map<string, { index: LookAlikeIndex; existing: Set<string> }>();
  readonly #snapshot: RemoteSnapshot;
  readonly #desired: readonly DesiredResource[];

  constructor(snapshot: RemoteSnapshot, desired: readonly DesiredResource[]) {
    this.#snapshot = snapshot;
    this.#desired = desired;
  }

  of(provider: string, kind: string): { index: LookAlikeIndex; existing: Set<string> } {
    const id = `${provider}\u0000${kind}`;
    let entry = this.#byKind.get(id);
    if (!entry) {
      entry = { index: new LookAlikeIndex(), existing: new Set() };
      for (const o of this.#snapshot.get(provider)?.get(kind) ?? []) {
        entry.index.add(String(o.naturalKey));
        entry.existing.add(String(o.naturalKey));
      }
      for (const other of this.#desired) {
        if (other.provider === provider && other.kind === kind) entry.index.add(other.naturalKey);
      }
      this.#byKind.set(id, entry);
    }
    return entry;
  }
}

/**
 * A declared resource with no object in the system is created (again, when state knew it), with
 * the follow-up update `createValues` asks for; a warning for each look-alike natural key.
 */
export function planCreate(req: {
  d: DesiredResource;
  def: KindDefinition;
  subject: Subject;
  st: StateResource | undefined;
  lookAlikes: LookAlikeKeys;
}): { drafts: Draft[]; diagnostics: Diagnostic[] } {
  const { d, def, subject, st } = req;
  const reasons: Reason[] = [];
  if (st) {
    reasons.push({
      path: '',
      rule: 'deleted-outside',
      message: `${d.kind} ${st.naturalKey} (id ${st.id}) no longer exists in the system; it will be created again`,
    });
  }
  const diagnostics: Diagnostic[] = [];
  const like = req.lookAlikes.of(d.provider, d.kind);
  const key = def.naturalKeyAttribute;
  for (const other of like.index.like(d.naturalKey)) {
    const which = like.existing.has(other) ? `the existing ${d.kind}` : `the declared ${d.kind}`;
    const message = `${key} ${showKey(d.naturalKey)} differs from ${which} ${showKey(other)} ${lookAlikeDifference(d.naturalKey, other)}: it is created as another ${d.kind} beside it. If it means that one, write its ${key} exactly`;
    diagnostics.push(diagnosticAt(d, `/spec/${key}`, 'warning', 'plan.look-alike-key', message));
  }
  const created = createAttributes(subject.desired ?? {}, subject.rules);
  const create = draft(subject, {
    action: 'create',
    reasons: [...reasons, ...createValuesReasons(subject, created)],
    before: null,
    after: created.attrs,
    operation: 'create',
    risk: 'low',
  });
  const followUp = followUpDraft(subject, created);
  return { drafts: followUp ? [create, followUp] : [create], diagnostics };
}
