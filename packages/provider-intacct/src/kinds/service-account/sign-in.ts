import type { KindRequest, RemoteObject, TestRequest, TestResult } from '@roster/core';
import { signInPreamble } from '@roster/core';
import { IntacctApiError, IntacctNetworkError } from '../../client/errors.js';
import type { IntacctConnection } from '../../connection.js';
import { type Listable, listableObjects } from './access.js';
import { readServiceAccount } from './users.js';

/** One line about a failure that is not a refusal (network, 5xx, throttling); throws bugs on. */
function reason(err: unknown): string {
  if (err instanceof IntacctApiError || err instanceof IntacctNetworkError) return err.message;
  throw err;
}

const refIds = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((r) => (r as { ref?: unknown })?.ref).filter((r): r is string => typeof r === 'string')
    : [];

/**
 * `roster test`: sign in as the web services user and read one row of an object its roles let
 * it list. Intacct's REST sign-in (OAuth2 client credentials) has no per-user secret: the
 * provider's Web Services client (`clientId`, `clientSecret`) signs in with
 * `username=<user ID>@<company>[|entity]`, and Intacct refuses users that are inactive or locked
 * (a user's password belongs to the XML API's sender-ID sign-in, which roster does not use), so
 * the manifest's `credentials` are not needed. Signing in activates the user ID: Intacct will
 * no longer delete the user. Refusals and network trouble are reported, never thrown.
 */
export async function signIn(req: KindRequest<TestRequest, IntacctConnection>): Promise<TestResult> {
  const client = req.connection.client;
  const pre = signInPreamble(req, { kind: 'ServiceAccount', accounts: 'web services users' });
  if ('refused' in pre) return pre.refused;
  const userId = req.naturalKey;
  let user: RemoteObject | undefined;
  try {
    user = await readServiceAccount(client, req.id);
  } catch (err) {
    return { authenticated: false, message: `could not look up user ${userId}: ${reason(err)}` };
  }
  if (!user)
    return { authenticated: false, message: `user ${userId} (key ${req.id}) no longer exists in Intacct` };
  const status = user.attributes.status;

  const as = client.signedInAs(user.naturalKey);
  try {
    await as.authenticate();
  } catch (err) {
    const hint = status === 'inactive' || status === 'locked' ? `; the user is ${status} in Intacct` : '';
    if (err instanceof IntacctApiError && err.status >= 400 && err.status < 500 && err.status !== 429)
      return {
        authenticated: false,
        message: `Intacct refused to sign ${userId} in with the provider's Web Services client: ${err.apiMessage} (${err.statusText})${hint}`,
      };
    return { authenticated: false, message: `could not sign ${userId} in: ${reason(err)}${hint}` };
  }

  let objects: Listable[];
  try {
    objects = await listableObjects(client, refIds(user.attributes.roles), refIds(user.attributes.groups));
  } catch (err) {
    return {
      authenticated: true,
      permission: { ok: false, checked: `find an object the roles of ${userId} let it list` },
      message: `signed in, but could not read the user's roles: ${reason(err)}`,
    };
  }
  const admin = user.attributes.adminPrivileges !== undefined && user.attributes.adminPrivileges !== 'off';
  // An administrator may list users whatever its roles say.
  const found =
    objects[0] ?? (admin ? { permission: 'admin privileges', object: 'company-config/user' } : undefined);
  if (!found)
    return {
      authenticated: true,
      permission: { ok: false, checked: `find an object the roles of ${userId} let it list` },
      message: `none of the roles of ${userId} (its own or its groups') grants List on a permission that guards an object roster knows (see the provider's README): the integration can read nothing roster can try`,
    };
  const { object } = found;
  const checked = `list 1 row of ${object} (${found.permission}) as ${userId}`;
  try {
    await as.queryPage({ object, fields: ['key'] }, 1);
    return { authenticated: true, permission: { ok: true, checked } };
  } catch (err) {
    if (err instanceof IntacctApiError && err.status >= 400 && err.status < 500 && err.status !== 429)
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `Intacct refused to let ${userId} list ${object}: ${err.apiMessage} (${err.statusText})`,
      };
    return {
      authenticated: true,
      permission: { ok: false, checked },
      message: `signed in, but could not list ${object}: ${reason(err)}`,
    };
  }
}
