import type { AttributeRule, KindDefinition, ManualOperation, Operation } from '../../provider.js';
import type { StateResource } from '../../state/types.js';
import type { DesiredResource } from '../desired.js';
import { credentialOrigins, withoutLocal } from '../local-attributes.js';
import type { Action, Reason, Risk } from '../types.js';

/** What a change is about: one resource as declared (or, for a removal, as state recorded it). */
export interface Subject {
  address: string;
  provider: string;
  kind: string;
  naturalKey: string;
  name: string;
  dependencies: string[];
  lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate'; ignoreChanges?: string[] };
  rules: Record<string, AttributeRule>;
  /** All desired attributes (for the runbook), references as target natural keys. */
  desired?: Record<string, unknown>;
  credentials?: Record<string, string>;
}

/** A change before it is numbered, ordered, masked and given its execution (see `toChanges`). */
export interface Draft extends Subject {
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
  remoteFingerprint?: string;
  /** Addresses whose changes must come first. */
  after_addresses: string[];
  /** What a manual step does, when this change is (or may be) one. */
  manualOperation?: ManualOperation;
  /** Attributes an update changes (decides api or manual per attribute). */
  changed?: string[];
  /** reconfirm: the attested attributes to confirm again. */
  reconfirm?: string[];
  attestFromRunbook?: string[];
}

/** The fields of a draft that say what the change does; `after_addresses` defaults to the dependencies. */
export type DraftChange = Omit<Draft, keyof Subject | 'after_addresses'> & { after_addresses?: string[] };

/** The one way to make a draft: a subject and what changes. */
export function draft(subject: Subject, change: DraftChange): Draft {
  return { ...subject, after_addresses: subject.dependencies, ...change } as Draft;
}

/** A declared resource as the subject of its changes (`local` attributes left out of `desired`). */
export function desiredSubject(d: DesiredResource, def: KindDefinition): Subject {
  const rules = def.attributes;
  const credentials = credentialOrigins(d.spec, rules);
  const lifecycle: NonNullable<Subject['lifecycle']> = {};
  if (d.lifecycle.preventDestroy) lifecycle.preventDestroy = true;
  if (d.lifecycle.onRemove) lifecycle.onRemove = d.lifecycle.onRemove;
  // Recorded in state, so drift (system against state) leaves these attributes alone too.
  if (d.lifecycle.ignoreChanges?.length) lifecycle.ignoreChanges = [...d.lifecycle.ignoreChanges];
  return {
    address: d.address,
    provider: d.provider,
    kind: d.kind,
    naturalKey: d.naturalKey,
    name: d.name,
    dependencies: d.dependencies,
    ...(Object.keys(lifecycle).length > 0 ? { lifecycle } : {}),
    rules,
    desired: withoutLocal(d.spec, rules),
    ...(credentials ? { credentials } : {}),
  };
}

/** A resource in state that no manifest declares any more, as the subject of its removal. */
export function stateSubject(address: string, st: StateResource, def: KindDefinition): Subject {
  return {
    address,
    provider: st.provider,
    kind: st.kind,
    naturalKey: st.naturalKey,
    name: st.name,
    dependencies: st.dependencies,
    rules: def.attributes,
    desired: st.attributes,
  };
}
