import { UserError } from '../diagnostics.js';
import type { Secret } from '../secret.js';
import { isSandboxEndpoint } from './endpoint.js';

/**
 * The Provider document's credentials when it declares all of `keys`, or undefined when it
 * declares none of them. Some but not all, or one whose place holds nothing yet (a credentials
 * file not written), is the user's to fix: a UserError naming what is missing.
 */
export function declaredCredentials<K extends string>(
  name: string,
  creds: Record<string, Secret | undefined>,
  keys: readonly K[],
): Record<K, Secret> | undefined {
  const given = keys.map((k) => [k, creds[k]] as const);
  if (given.every(([, v]) => !v)) return undefined;
  const missing = given.filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0)
    throw new UserError(`provider ${name}: credentials need ${missing.join(', ')} as well`);
  const empty = given.filter(([, v]) => v!.present === false).map(([k, v]) => `${k} (${v!.origin})`);
  if (empty.length > 0)
    throw new UserError(
      `provider ${name}: credentials ${empty.join(', ')} ${empty.length === 1 ? 'holds' : 'hold'} no value yet`,
    );
  return Object.fromEntries(given) as Record<K, Secret>;
}

/**
 * The values of the declared credentials (`declaredCredentials`, revealed): what a sandbox's
 * simulator checks its clients against. Undefined when none are declared (it accepts any client).
 */
export function declaredValues<K extends string>(
  name: string,
  creds: Record<string, Secret | undefined>,
  keys: readonly K[],
): Record<K, string> | undefined {
  const declared = declaredCredentials(name, creds, keys);
  if (!declared) return undefined;
  return Object.fromEntries(keys.map((k) => [k, declared[k].reveal()])) as Record<K, string>;
}

/**
 * What a client signs in with: the declared credentials; for a sandbox endpoint (embedded or
 * served on loopback) that declares none, `placeholder`, which such a sandbox accepts; otherwise
 * a UserError saying what to declare (`needs`, e.g. `credentials.token (…), e.g. token: ${env:…}`).
 */
export function credentialsOrPlaceholder<T>(opts: {
  name: string;
  endpoint: string;
  declared: T | undefined;
  placeholder: T;
  needs: string;
}): T {
  if (opts.declared !== undefined) return opts.declared;
  if (isSandboxEndpoint(opts.endpoint)) return opts.placeholder;
  throw new UserError(`provider ${opts.name}: endpoint ${opts.endpoint} needs ${opts.needs}`);
}
