import type { RemoteObject } from '../provider.js';
import { fingerprint } from './canonical.js';

/** Fingerprint of a remote object as apply compares it (attributes and activation). */
export function remoteFingerprint(object: RemoteObject): string {
  return fingerprint({ attributes: object.attributes, deactivated: object.deactivated === true });
}
