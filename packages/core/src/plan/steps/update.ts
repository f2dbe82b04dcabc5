import type { KindDefinition, RemoteObject } from '../../provider.js';
import { project } from '../project-attributes.js';
import type { Reason } from '../types.js';
import { describeChange } from './diff.js';
import { type Draft, draft, type Subject } from './draft.js';
import { reactivationReason } from './reactivation.js';

/**
 * An update of the changed attributes (and the reactivation of a deactivated object), adopting the
 * object first when it was found by its natural key. A change of a privilege or a reference is
 * rated medium risk.
 */
export function updateDraft(req: {
  subject: Subject;
  def: KindDefinition;
  remote: RemoteObject;
  matchedBy: 'state' | 'naturalKey';
  before: Record<string, unknown>;
  changed: readonly string[];
  reactivate: boolean;
  fromRunbook: string[];
  fp: string;
}): Draft {
  const { subject, def, remote, before, changed, fromRunbook } = req;
  const desired = subject.desired ?? {};
  const rules = subject.rules;
  const after: Record<string, unknown> = { ...before, ...project(desired, fromRunbook) };
  const reasons: Reason[] = [];
  if (req.matchedBy === 'naturalKey') {
    reasons.push({
      path: '',
      rule: 'adopt',
      message: `${subject.kind} ${remote.naturalKey} already exists in the system but not in state; it is adopted and updated`,
    });
  }
  for (const key of changed) {
    after[key] = desired[key];
    reasons.push({
      path: `/${key}`,
      rule: 'changed',
      message: describeChange(key, before[key], desired[key], rules[key]),
    });
  }
  const reactivation = reactivationReason({
    kind: subject.kind,
    def,
    remote,
    reactivate: req.reactivate,
    changed,
  });
  if (reactivation.reason) reasons.push(reactivation.reason);
  if (reactivation.set) after[reactivation.set[0]] = reactivation.set[1];
  const changedAll = reactivation.set ? [...changed, reactivation.set[0]] : [...changed];
  return draft(subject, {
    action: 'update',
    reasons,
    before,
    after,
    operation: 'update',
    risk: changedAll.some((k) => rules[k]?.privilege || rules[k]?.ref) ? 'medium' : 'low',
    steps: def.updateSteps?.({ changed: changedAll }),
    id: remote.id,
    remoteFingerprint: req.fp,
    changed: changedAll,
    ...(fromRunbook.length > 0 ? { attestFromRunbook: fromRunbook } : {}),
  });
}
