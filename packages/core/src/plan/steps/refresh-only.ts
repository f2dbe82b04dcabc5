import type { StateDocument } from '../../state/types.js';
import { project } from '../project-attributes.js';
import { remoteFingerprint } from '../remote-fingerprint.js';
import type { RemoteIndex } from '../remote-index.js';
import type { DriftEntry, Plan } from '../types.js';

/**
 * `--refresh-only`: no change to any system; state forgets what was deleted outside and takes in
 * what was changed outside (the attributes state records, as the system has them now).
 */
export function acceptDrift(req: {
  drift: readonly DriftEntry[];
  state: StateDocument;
  index: RemoteIndex;
}): { forget: string[]; accept: Plan['accept'] } {
  const forget: string[] = [];
  const accept: Plan['accept'] = [];
  for (const entry of req.drift) {
    if (entry.status === 'deleted') {
      forget.push(entry.address);
      continue;
    }
    const st = req.state.resources[entry.address];
    const obj = st && req.index.byId(st.provider, st.kind, st.id);
    if (st && obj) {
      accept.push({
        address: entry.address,
        attributes: project(obj.attributes, Object.keys(st.attributes)),
        remoteFingerprint: remoteFingerprint(obj),
      });
    }
  }
  return { forget, accept };
}
