import { UserError } from '../diagnostics.js';
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

/**
 * TEST HOOK: the time `roster test` records as an account's last sign-in (ISO 8601) instead of now,
 * so a test can make an account look unused for months without waiting for them.
 */
export const SIGNED_IN_AT_HOOK_ENV = 'ROSTER_TEST_SIGNED_IN_AT';

/**
 * The time to record: `now`, or the test hook's. The hook is refused when an account signed in on
 * a real system (not a sandbox or loopback endpoint): there it would let a run make a stale account
 * look used, and the inventory and access reviews rest on these times.
 */
export function signInTime(req: {
  hook: string | undefined;
  signIns: readonly SignIn[];
  isSandbox(provider: string): boolean;
  now: Date;
}): string {
  const { hook } = req;
  if (hook === undefined || hook === '') return req.now.toISOString();
  const providers = new Set(req.signIns.map((s) => s.address.slice(0, s.address.indexOf('/'))));
  const real = [...providers].filter((p) => !req.isSandbox(p));
  if (real.length > 0)
    throw new UserError(
      `${SIGNED_IN_AT_HOOK_ENV} is a test hook for sandboxes only, and ${real.join(', ')} ${real.length === 1 ? 'is not one' : 'are not'}: unset it`,
    );
  const t = Date.parse(hook);
  if (Number.isNaN(t)) throw new UserError(`${SIGNED_IN_AT_HOOK_ENV}=${hook} is not an ISO 8601 time`);
  return new Date(t).toISOString();
}
