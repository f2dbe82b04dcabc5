import type { Diagnostic } from '../../diagnostics.js';
import { fmt } from '../../format/fmt.js';
import { kindCapabilities } from '../../kind-operations.js';
import type { KindDefinition, RemoteObject } from '../../provider.js';
import type { DesiredResource } from '../desired.js';
import { createAttributes, followUpDraft } from './create-values.js';
import { diagnosticAt } from './diagnostic-at.js';
import { type Draft, draft, type Subject } from './draft.js';
import { fixedAtCreationRule } from './fixed-at-creation.js';
import { immutableRule } from './immutable.js';

/**
 * The changed attributes (and the natural key, when it changed) that replace the object, by the
 * `immutable` and `fixedAtCreation` rules; refusals for immutable ones not allowed to.
 */
export function replacingKeys(req: {
  d: DesiredResource;
  def: KindDefinition;
  changed: readonly string[];
  remote: RemoteObject;
  before: Record<string, unknown>;
  desired: Record<string, unknown>;
  replaceAllowed: boolean;
}): { replacing: string[]; diagnostics: Diagnostic[] } {
  const { d, def } = req;
  const key = def.naturalKeyAttribute;
  const keys =
    req.remote.naturalKey !== d.naturalKey && !req.changed.includes(key)
      ? [...req.changed, key]
      : req.changed;
  const replacing: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const k of keys) {
    const rule = def.attributes[k];
    const verdict =
      immutableRule({
        d,
        key: k,
        rule,
        replaceAllowed: req.replaceAllowed,
        remoteKey: req.remote.naturalKey,
        from: req.before[k],
        to: req.desired[k],
      }) ?? fixedAtCreationRule(rule);
    if (verdict === 'replace') replacing.push(k);
    else if (verdict) diagnostics.push(verdict);
  }
  return { replacing, diagnostics };
}

/**
 * `--replace ADDR` with nothing requiring it: the operator forces a replacement (Terraform's
 * `apply -replace`), where the kind can create and remove the object by API. `failed`: the
 * resource has an error already (the second refusal would only repeat it).
 */
export function forcedReplacementRefusals(req: {
  d: DesiredResource;
  def: KindDefinition;
  remote: RemoteObject;
  failed: boolean;
}): Diagnostic[] {
  const { d, def } = req;
  const removal = def.deleteMode === 'deactivate' ? 'update' : 'delete';
  const out: Diagnostic[] = [];
  if (kindCapabilities(def).create !== 'api' || kindCapabilities(def)[removal] !== 'api') {
    out.push(
      diagnosticAt(
        d,
        '',
        'error',
        'replace.unsupported',
        `--replace ${d.address}: roster cannot replace a ${d.kind} (create: ${kindCapabilities(def).create}, ${def.deleteMode === 'deactivate' ? 'deactivate' : 'delete'}: ${kindCapabilities(def)[removal]}); a manual replacement is a runbook step in the system, not a plan: remove --replace`,
      ),
    );
  }
  if (def.deleteMode === 'deactivate' && !req.failed && out.length === 0) {
    out.push(
      diagnosticAt(
        d,
        '',
        'error',
        'replace.unsupported',
        `--replace ${d.address}: a deactivated ${d.kind} keeps ${def.naturalKeyAttribute} ${req.remote.naturalKey}, so no new one can be made beside it; change ${def.naturalKeyAttribute} with lifecycle.allowReplace: true instead`,
      ),
    );
  }
  return out;
}

/** The replacement: a create of the new object that also removes the old, and its follow-up update. */
export function replaceDrafts(req: {
  d: DesiredResource;
  def: KindDefinition;
  subject: Subject;
  replacing: readonly string[];
  forced: boolean;
  allowed: boolean;
  before: Record<string, unknown>;
  remote: RemoteObject;
  fp: string;
}): Draft[] {
  const { d, def, subject, before } = req;
  const desired = subject.desired ?? {};
  const created = createAttributes(desired, subject.rules);
  const consequence = `a new object replaces ${req.remote.naturalKey}, which will be ${def.deleteMode === 'deactivate' ? 'deactivated' : 'deleted'}${def.role === 'account' ? '; the new account gets new credentials and integrations using the old one break' : ''}`;
  const replace = draft(subject, {
    action: 'replace',
    reasons: req.forced
      ? [{ path: '', rule: 'replace', message: `replacement requested with --replace: ${consequence}` }]
      : req.replacing.map((key) => ({
          path: `/${key}`,
          rule: subject.rules[key]?.immutable ? 'immutable' : 'fixedAtCreation',
          message: `${key} can only be set when the object is created (${fmt(before[key])} → ${fmt(desired[key])}): ${consequence}${req.allowed ? '' : '; apply refuses until lifecycle.allowReplace: true or --replace ' + d.address}`,
        })),
    before,
    after: created.attrs,
    operation: 'create',
    alsoOperations: [def.deleteMode === 'deactivate' ? 'update' : 'delete'],
    risk: 'high',
    id: req.remote.id,
    remoteFingerprint: req.fp,
  });
  const followUp = followUpDraft(subject, created);
  return followUp ? [replace, followUp] : [replace];
}
