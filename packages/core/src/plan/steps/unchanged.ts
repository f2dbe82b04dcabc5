import type { RemoteObject } from '../../provider.js';
import type { PendingStep, StateResource } from '../../state/types.js';
import { sameValue } from '../canonical.js';
import { project } from '../project-attributes.js';
import type { Plan } from '../types.js';
import { type Draft, draft, type Subject } from './draft.js';

/**
 * An object found by its natural key that matches the manifest is adopted into state (no write);
 * when a runbook step handed out earlier created it, its unreadable attributes are recorded as attested.
 */
export function adoptDraft(req: {
  subject: Subject;
  remote: RemoteObject;
  before: Record<string, unknown>;
  fp: string;
  fromRunbook: string[];
  pending: PendingStep | undefined;
}): Draft {
  const { subject, before, fromRunbook } = req;
  const reasons = [
    {
      path: '',
      rule: 'adopt',
      message: `${subject.kind} ${req.remote.naturalKey} already exists in the system as declared; it is adopted into state (no write)`,
    },
  ];
  if (fromRunbook.length > 0) {
    reasons.push({
      path: '',
      rule: 'runbook',
      message: `the runbook step handed out ${req.pending?.issuedAt ?? ''} is done: ${fromRunbook.join(', ')} recorded as attested`,
    });
  }
  return draft(subject, {
    action: 'import',
    reasons,
    before,
    after: { ...before, ...project(subject.desired ?? {}, fromRunbook) },
    operation: 'read',
    risk: 'low',
    id: req.remote.id,
    remoteFingerprint: req.fp,
    ...(fromRunbook.length > 0 ? { attestFromRunbook: fromRunbook } : {}),
  });
}

/**
 * Nothing to do in the system, but state is behind (the object changed outside and back, or the
 * manifest's attributes or lifecycle settings changed): state catches up. Lifecycle included, so
 * that removing preventDestroy and applying lets the resource be removed next.
 */
export function stateCatchUp(req: {
  subject: Subject;
  st: StateResource;
  /** The attributes compared (the manifest's, less ignored ones). */
  managed: Record<string, unknown>;
  before: Record<string, unknown>;
  fp: string;
}): Plan['accept'][number] | undefined {
  const { subject, st } = req;
  const lifecycle = subject.lifecycle ?? {};
  // (`managed` as written equals its projection on its own keys: no copy needed.)
  const behind =
    st.remoteFingerprint !== req.fp ||
    !sameValue(st.attributes, req.managed) ||
    !sameValue(st.lifecycle ?? {}, lifecycle);
  if (!behind) return undefined;
  return { address: subject.address, attributes: req.before, remoteFingerprint: req.fp, lifecycle };
}
