import type { StateBackend, StateDocument } from '../state/types.js';
import { withStateLock } from '../state/with-lock.js';
import type { AccountTest } from './test-accounts.js';

/** An account `roster test` signed in as, and the object it was in state when tested. */
export interface SignIn {
  address: string;
  /** The account's id in its system when it was tested: a replaced account's sign-in is not its successor's. */
  id: string;
}

/**
 * The accounts of `rows` whose sign-in worked (authenticated, whatever the permission check said),
 * with their ids as `tested` (the state the test read) held them.
 */
export function signInsOf(rows: readonly AccountTest[], tested: StateDocument): SignIn[] {
  return rows.flatMap((r) => {
    const id = tested.resources[r.address]?.id;
    return r.authenticated === true && id !== undefined ? [{ address: r.address, id }] : [];
  });
}

/**
 * `doc` with `lastSignInAt: at` on each signed-in account that is still the same object in state
 * (an account removed or replaced since the test is left alone), and the serial bumped; undefined
 * when nothing changes. Only that field is written: no attribute, no secret.
 */
export function recordSignIns(
  doc: StateDocument,
  signIns: readonly SignIn[],
  at: string,
): StateDocument | undefined {
  const resources = { ...doc.resources };
  let changed = false;
  for (const s of signIns) {
    const r = resources[s.address];
    if (!r || r.id !== s.id || r.lastSignInAt === at) continue;
    resources[s.address] = { ...r, lastSignInAt: at };
    changed = true;
  }
  return changed ? { ...doc, serial: doc.serial + 1, resources } : undefined;
}

/**
 * Write the sign-ins into state as `state rm`/`mv` write: under the state lock, on the state as it
 * is now (another run may have written since the test read it), compare-and-set on its serial; the
 * backend's own lock timeout (`--lock-timeout`) applies. Nothing is locked or written when there is
 * nothing to record. Returns how many were recorded.
 */
export async function saveSignIns(
  backend: StateBackend,
  signIns: readonly SignIn[],
  at: string,
): Promise<number> {
  if (signIns.length === 0) return 0;
  return withStateLock(backend, 'test', async () => {
    const doc = await backend.read();
    const next = recordSignIns(doc, signIns, at);
    if (!next) return 0;
    await backend.write(next, doc.serial);
    return signIns.filter((s) => next.resources[s.address]?.lastSignInAt === at).length;
  });
}
