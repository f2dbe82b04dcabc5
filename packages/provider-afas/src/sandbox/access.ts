import { createHash, timingSafeEqual } from 'node:crypto';
import { parseAuthorization } from '../client/token.js';
import { forbidden, refused, unauthorized } from './errors.js';
import { type AppConnectorRec, codeKey, memberKey, type TokenRec, type UserRec } from './records.js';
import type { SimDb } from './store.js';

/** Who is calling the API. */
export type Caller =
  /** roster's own token (or, in a sandbox without credentials, any token the sandbox did not issue). */
  | { kind: 'admin' }
  /** A user token issued on an app connector: every access rule applies. */
  | { kind: 'user'; token: TokenRec; user: UserRec; appConnector: AppConnectorRec };

/** SHA-256 of a token's data part: all the sandbox ever stores of a token. */
export function hashToken(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Identify the caller from `Authorization: AfasToken base64(<token>…</token>)`.
 *
 * A token issued on an app connector (console or OTP flow) is that user's; a deleted one is refused.
 * Otherwise the token must be roster's own (`adminTokenData`), or, when the sandbox was started
 * without credentials, anything well-formed. No token or a malformed one is a 401 with no body;
 * a plain-text (not Base64) token a 500, as AFAS answers those.
 */
export function authenticate(
  db: SimDb,
  header: string | undefined,
  adminTokenData: string | undefined,
): Caller {
  const auth = parseAuthorization(header);
  if (auth.kind === 'plain') {
    throw refused('Plain-text tokens are no longer supported: send the token Base64-encoded after AfasToken');
  }
  if (auth.kind !== 'token') throw unauthorized(auth.kind === 'missing' ? 'no token' : 'malformed token');
  const hash = hashToken(auth.data);
  const issued = db
    .table('token')
    .values()
    .find((t) => t.hash === hash);
  if (issued) {
    if (issued.deletedAt) throw unauthorized('the token was deleted');
    const user = db.table('user').get(issued.user);
    const appConnector = db.table('appConnector').get(issued.appConnector);
    if (!user || !appConnector) throw unauthorized('the token belongs to a removed user or app connector');
    return { kind: 'user', token: issued, user, appConnector };
  }
  if (adminTokenData === undefined || sameText(auth.data, adminTokenData)) return { kind: 'admin' };
  throw unauthorized('unknown token');
}

/** Whether a user is in a group (the built-in all-users group holds everyone). */
export function isMember(db: SimDb, groupKey: string, userKey: string): boolean {
  const group = db.table('group').get(groupKey);
  if (!group) return false;
  return group.builtIn === true || db.table('member').get(memberKey(groupKey, userKey)) !== undefined;
}

/**
 * Why a user could not exchange data through an app connector, per AFAS: the user must be a member
 * of the app connector's user group, hold a valid token for it, and the app connector must not be
 * blocked (a blocked user cannot sign in at all). Empty when nothing stands in the way.
 */
export function accessProblems(
  db: SimDb,
  user: UserRec,
  appConnector: AppConnectorRec,
  opts: { checkToken: boolean },
): string[] {
  const problems: string[] = [];
  const group = db.table('group').get(appConnector.group);
  if (user.blocked) problems.push(`User ${user.userId} is blocked`);
  if (appConnector.blocked) problems.push(`App connector '${appConnector.description}' is blocked`);
  if (!isMember(db, appConnector.group, user.key)) {
    problems.push(
      `User ${user.userId} is not a member of user group ${group?.id ?? appConnector.group}, which is linked to app connector '${appConnector.description}'`,
    );
  }
  if (opts.checkToken && !tokensOf(db, appConnector.key, user.key).length) {
    problems.push(`User ${user.userId} has no token for app connector '${appConnector.description}'`);
  }
  return problems;
}

/** The live (not deleted) tokens of a user on an app connector. */
export function tokensOf(db: SimDb, appConnectorKey: string, userKey: string): TokenRec[] {
  return db
    .table('token')
    .values()
    .filter((t) => !t.deletedAt && t.appConnector === appConnectorKey && t.user === userKey);
}

/** What a request wants to use. */
export type Use = { type: 'get'; id: string } | { type: 'update'; id: string } | { type: 'meta' };

/**
 * Refuse a user token that may not make this call: the access conditions, then the second line of
 * security, the connector being on the app connector's list. HTTP 401 with AFAS's message (the
 * status AFAS uses for "valid token but no access to this endpoint"). roster's own token passes.
 */
export function authorize(db: SimDb, caller: Caller, use: Use): void {
  if (caller.kind === 'admin') return;
  const problems = accessProblems(db, caller.user, caller.appConnector, { checkToken: false });
  if (problems.length > 0) throw forbidden(problems.join('; '));
  if (use.type === 'meta') return;
  const list = use.type === 'get' ? caller.appConnector.getConnectors : caller.appConnector.updateConnectors;
  if (!list.some((c) => codeKey(c) === codeKey(use.id))) {
    throw forbidden(
      `${use.type === 'get' ? 'GetConnector' : 'UpdateConnector'} not supported for this app or the user is not authorized`,
    );
  }
}
