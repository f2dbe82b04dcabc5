import { type KindRequest, signInPreamble, type TestRequest, type TestResult } from '@roster/core';
import type { MetaInfo } from '../../client/client.js';
import { AfasApiError, AfasNetworkError } from '../../client/errors.js';
import { normalizeToken } from '../../client/token.js';
import type { AfasContext } from '../../connection.js';

/** One line about a failure that is not a refusal (network, 5xx); throws bugs on. */
function reason(err: unknown): string {
  if (err instanceof AfasApiError || err instanceof AfasNetworkError) return err.message;
  throw err;
}

/** The user code in MetaInfo's `info.group`, e.g. `12345.WS` in `"INT-APP (12345.WS)"`. */
function tokenUser(group: unknown): string | undefined {
  if (typeof group !== 'string') return undefined;
  return /\(([^()]+)\)\s*$/.exec(group)?.[1]?.trim();
}

/** The description a recorded `connector` reference names (`{ref}` or a plain string). */
function connectorRef(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { ref?: unknown } | null | undefined)?.ref;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * `roster test`: sign in with the user's own token (from where its manifest's
 * `credentials.token` points) and read what an integration reads. Authentication is
 * `GET /MetaInfo` with the token, which AFAS refuses unless the user is a member of the app
 * connector's group, neither the user nor the app connector is blocked, and the token is valid;
 * its `info.group` must name this user (a token of another user, or roster's own, fails). The
 * permission check reads one row of the first GetConnector the app connector lists. Refusals and
 * network trouble are reported, never thrown.
 */
export async function testServiceAccount(req: KindRequest<TestRequest, AfasContext>): Promise<TestResult> {
  const pre = signInPreamble(req, { kind: 'ServiceAccount', accounts: 'token users', credential: 'token' });
  if ('refused' in pre) return pre.refused;
  const token = pre.credential!;
  try {
    normalizeToken(token.reveal());
  } catch (err) {
    return {
      authenticated: false,
      message: `what is stored at ${token.origin} is not usable: ${(err as Error).message}`,
    };
  }
  const userId = req.naturalKey;
  const as = req.connection.client.withToken(token);
  let meta: MetaInfo;
  try {
    meta = await as.metaInfo();
  } catch (err) {
    if (err instanceof AfasApiError && (err.status === 401 || err.status === 403))
      return {
        authenticated: false,
        message: `AFAS Profit refused the token of ${userId}: ${err.apiMessage} (${err.status})`,
      };
    return {
      authenticated: false,
      message: `could not sign in with the token of ${userId}: ${reason(err)}`,
    };
  }
  const owner = tokenUser(meta.info.group);
  if (meta.info.group === null || meta.info.group === undefined)
    return {
      authenticated: false,
      message: `the token stored at ${token.origin} is not a user token of an app connector (AFAS names no user group for it)`,
    };
  if (owner !== undefined && owner.toLowerCase() !== userId.toLowerCase())
    return {
      authenticated: false,
      message: `the token stored at ${token.origin} belongs to user ${owner}, not ${userId}`,
    };

  const appName = typeof meta.info.appName === 'string' ? meta.info.appName : 'its app connector';
  const declared = connectorRef(req.attributes.connector);
  const first = meta.getConnectors[0]?.id;
  const checked = first
    ? `read 1 row of GetConnector ${first} of app connector '${appName}'`
    : `list the GetConnectors of app connector '${appName}'`;
  if (declared && declared.toLowerCase() !== appName.toLowerCase())
    return {
      authenticated: true,
      permission: { ok: false, checked },
      message: `the token is for app connector '${appName}', but the manifest says '${declared}'`,
    };
  if (!first)
    return {
      authenticated: true,
      permission: { ok: false, checked },
      message: `app connector '${appName}' lists no GetConnectors: the user can read nothing`,
    };
  try {
    await as.getPage(first, 0, 1);
    return { authenticated: true, permission: { ok: true, checked } };
  } catch (err) {
    if (err instanceof AfasApiError && err.status < 500)
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `AFAS Profit refused to let ${userId} read GetConnector ${first}: ${err.apiMessage} (${err.status})`,
      };
    return {
      authenticated: true,
      permission: { ok: false, checked },
      message: `signed in, but could not read GetConnector ${first}: ${reason(err)}`,
    };
  }
}
