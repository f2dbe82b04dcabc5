import type { Diagnostic } from '../../diagnostics.js';
import { kindCapabilities } from '../../kind-operations.js';
import type { KindDefinition, RemoteObject } from '../../provider.js';
import type { StateResource } from '../../state/types.js';
import type { DesiredResource } from '../desired.js';
import { rotateAfterDaysOf } from '../local-attributes.js';
import { diagnosticAt } from './diagnostic-at.js';
import { type Draft, draft, type Subject } from './draft.js';

const DAY_MS = 86_400_000;
const POINTER = '/spec/credentials/rotateAfterDays';

/**
 * A `rotate` change when the account's credentials are older than `credentials.rotateAfterDays`
 * (counted from when roster last saw them issued); a warning when the system cannot rotate them.
 */
export function rotation(req: {
  d: DesiredResource;
  def: KindDefinition;
  subject: Subject;
  recorded: StateResource | undefined;
  before: Record<string, unknown>;
  remote: RemoteObject;
  fp: string;
  now: Date;
}): { draft?: Draft; diagnostics: Diagnostic[] } {
  const { d, def, recorded, now } = req;
  const days = rotateAfterDaysOf(d.spec, def.attributes);
  if (days === undefined || !recorded?.credentialsIssuedAt) return { diagnostics: [] };
  const issued = Date.parse(recorded.credentialsIssuedAt);
  if (issued + days * DAY_MS > now.getTime()) return { diagnostics: [] };
  const age = Math.floor((now.getTime() - issued) / DAY_MS);
  const message = `credentials issued ${recorded.credentialsIssuedAt.slice(0, 10)} are ${age} days old; rotateAfterDays is ${days}`;
  if (!kindCapabilities(def).rotate || kindCapabilities(def).rotate === 'none') {
    const text = `${message}, and ${d.kind} credentials cannot be rotated by roster in this system: rotate them by hand`;
    return { diagnostics: [diagnosticAt(d, POINTER, 'warning', 'credentials.rotation-due', text)] };
  }
  const diagnostics = def.rotationWarning
    ? [diagnosticAt(d, POINTER, 'warning', def.rotationWarning.code, def.rotationWarning.message)]
    : [];
  return {
    diagnostics,
    draft: draft(req.subject, {
      action: 'rotate',
      reasons: [
        { path: '/credentials', rule: 'rotateAfterDays', message: `${message}: new credentials are issued` },
      ],
      before: req.before,
      after: req.before,
      operation: 'update',
      risk: 'medium',
      id: req.remote.id,
      remoteFingerprint: req.fp,
      manualOperation: 'rotate',
    }),
  };
}
