import type { TestRequest, TestResult } from '../provider.js';
import type { Secret } from '../secret.js';

/** What `test()` checks before signing in, the same in every provider. */
export interface SignInPreamble {
  /** The kind whose resources can sign in (the others cannot be tested). */
  kind: string;
  /** What such accounts are called in this system, plural (e.g. `API users`). */
  accounts: string;
  /** The account credential `test()` signs in with (e.g. `secret`); omit when it needs none. */
  credential?: string;
}

/** A `test()` result for an account that did not sign in: reported, never thrown. */
export function notSignedIn(message: string): TestResult {
  return { authenticated: false, message };
}

/**
 * The start of every `test()`: only `pre.kind` can sign in, and, when it signs in with a
 * credential of its own, that credential must be named by the manifest and hold a value. Returns
 * the result to report when the account cannot be tested, else the credential (when one is asked for).
 */
export function signInPreamble(
  req: TestRequest,
  pre: SignInPreamble,
): { refused: TestResult } | { credential: Secret | undefined } {
  if (req.kind !== pre.kind)
    return {
      refused: notSignedIn(`a ${req.kind} cannot sign in; only ${pre.accounts} (${pre.kind}) can`),
    };
  if (pre.credential === undefined) return { credential: undefined };
  const secret = req.credentials[pre.credential];
  if (!secret)
    return {
      refused: notSignedIn(
        `no credentials: the manifest names no credentials.${pre.credential} to sign in with`,
      ),
    };
  if (!secret.present) return { refused: notSignedIn(`no credentials stored at ${secret.origin}`) };
  return { credential: secret };
}
