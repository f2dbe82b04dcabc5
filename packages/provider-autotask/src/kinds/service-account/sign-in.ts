import type { KindRequest, TestRequest, TestResult } from '@roster/core';
import { signInPreamble } from '@roster/core';
import type { AutotaskClient } from '../../client/client.js';
import { AutotaskApiError, AutotaskBudgetError, AutotaskNetworkError } from '../../client/errors.js';
import type { AutotaskConnection } from '../../connection.js';

/** What `roster test` reads as the API user, and the security level permission that allows it. */
const TEST_ENTITY = 'Tickets';
const TEST_PERMISSION = 'Service Desk › Tickets';

/**
 * A refusal of the credentials: 401 (a wrong secret, an inactive or locked API user), or Autotask's
 * 500 with an `errors` list (an unknown username or integration code, as seen in practice).
 */
function isSignInRefusal(err: AutotaskApiError): boolean {
  return err.status === 401 || (err.status === 500 && err.refusal);
}

/**
 * When Autotask refused the integration code and the manifest names none of its own: the API
 * user's tracking identifier (its vendor's) is not the provider's.
 */
function invalidCodeHint(err: AutotaskApiError): string {
  return /integration ?code/i.test(said(err))
    ? "; the API user's tracking identifier is not the provider's integrationCode: keep its own in credentials.integrationCode"
    : '';
}

/** Autotask's own words in a refusal (they never hold the credentials sent). */
function said(err: AutotaskApiError): string {
  return err.apiMessages.join('; ') || 'no details given';
}

/** One line about a failure that is not a refusal (network, 5xx, threshold); throws bugs on. */
function reason(err: unknown): string {
  if (
    err instanceof AutotaskApiError ||
    err instanceof AutotaskNetworkError ||
    err instanceof AutotaskBudgetError
  )
    return err.message;
  throw err;
}

/**
 * `roster test`: sign in as the API user with its own key (read from its Resource), its own
 * secret (from where its manifest's `credentials.secret` points) and the provider's integration
 * code, then read what an integration needs. Authentication is reading its own Resource record
 * as itself; the permission check is a one-record Tickets query, which its security level must
 * allow (Service Desk › Tickets, View). Refusals and network trouble are reported, never thrown.
 */
export async function signInAsApiUser(
  req: KindRequest<TestRequest, AutotaskConnection>,
): Promise<TestResult> {
  const pre = signInPreamble(req, { kind: 'ServiceAccount', accounts: 'API users', credential: 'secret' });
  if ('refused' in pre) return pre.refused;
  const secret = pre.credential!;

  let row: Record<string, unknown> | undefined;
  try {
    row = await req.connection.client.get('Resources', req.id);
  } catch (err) {
    return { authenticated: false, message: `could not look up the API user: ${reason(err)}` };
  }
  if (!row)
    return {
      authenticated: false,
      message: `resource ${req.id} (${req.naturalKey}) no longer exists in Autotask`,
    };
  const username = typeof row.userName === 'string' && row.userName !== '' ? row.userName : undefined;
  if (!username)
    return { authenticated: false, message: `resource ${req.id} has no username (key) in Autotask` };
  const inactive = row.isActive === false ? '; the API user is inactive in Autotask' : '';

  // Autotask checks ApiIntegrationCode against the API user's own tracking identifier (its
  // vendor's): the one its manifest keeps, else the provider's (right when both are the same).
  const code = req.credentials.integrationCode;
  if (code && !code.present)
    return { authenticated: false, message: `no integration code stored at ${code.origin}` };
  const signIn = { username, secret, ...(code ? { integrationCode: code } : {}) };
  let as: AutotaskClient;
  try {
    as = await req.connection.client.signedInAs(signIn);
    await as.get('Resources', req.id);
  } catch (err) {
    if (err instanceof AutotaskApiError && isSignInRefusal(err))
      return {
        authenticated: false,
        message: `Autotask refused the API user's key and secret: ${said(err)} (HTTP ${err.status})${inactive}${code ? '' : invalidCodeHint(err)}`,
      };
    // 403: signed in, but its security level may not read resources; the permission check says more.
    if (!(err instanceof AutotaskApiError && err.status === 403))
      return {
        authenticated: false,
        message: `could not sign in as the API user: ${reason(err)}${inactive}`,
      };
    as = await req.connection.client.signedInAs(signIn);
  }

  const checked = `query ${TEST_ENTITY} (MaxRecords 1) as the API user`;
  try {
    await as.queryPage(
      TEST_ENTITY,
      { filter: [{ op: 'gt', field: 'id', value: 0 }], includeFields: ['id'] },
      1,
    );
    return { authenticated: true, permission: { ok: true, checked } };
  } catch (err) {
    if (err instanceof AutotaskApiError && (isSignInRefusal(err) || err.status === 403))
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `Autotask refused to let the API user query ${TEST_ENTITY}: ${said(err)} (HTTP ${err.status}); its security level needs ${TEST_PERMISSION} with View`,
      };
    return {
      authenticated: true,
      permission: { ok: false, checked },
      message: `signed in, but could not query ${TEST_ENTITY}: ${reason(err)}`,
    };
  }
}
