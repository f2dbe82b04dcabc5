import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { refused, unauthorized } from './errors.js';
import type { ResourceRec } from './records.js';
import type { SimDb } from './store.js';

/** The API user (and integration code) a simulator with declared credentials accepts. */
export interface SimCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

/** Who made an authenticated request. */
export interface Caller {
  /** `ApiIntegrationCode`: the thread limit is counted per code and endpoint. */
  integrationCode: string;
  /** The API user signing in, when it is one of the database's (created in the console). */
  resourceKey?: string;
}

/** A salted SHA-256 of a secret: what the sandbox keeps instead of the secret. */
export function hashSecret(
  secret: string,
  salt = randomBytes(16).toString('hex'),
): { hash: string; salt: string } {
  return { hash: createHash('sha256').update(`${salt}\u0000${secret}`).digest('hex'), salt };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(req: IncomingMessage, name: string): string | undefined {
  // Node lowercases header names: `ApiIntegrationcode` and `APIIntegrationCode` both arrive here.
  const v = req.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() !== '' ? s : undefined;
}

function apiUserNamed(db: SimDb, username: string): ResourceRec | undefined {
  const u = username.toLowerCase();
  for (const r of db.table('resource').values()) if (r.apiUser && r.userName.toLowerCase() === u) return r;
  return undefined;
}

/**
 * Check the three credential headers, with Autotask's quirks: a missing header or a wrong secret
 * is 401; an unknown username or an unknown integration code is 500 (as seen in practice).
 *
 * Accepted: the declared credentials; any API user of the database (made in the console) with its
 * secret, while active and not locked; and, when no credentials are declared, any other values.
 * The simulator does not tie an API user to its vendor's integration code (Autotask does).
 */
export function authenticate(req: IncomingMessage, db: SimDb, declared: SimCredentials | undefined): Caller {
  const code = header(req, 'ApiIntegrationCode');
  const username = header(req, 'UserName');
  const secret = header(req, 'Secret');
  const missing = [
    ...(code ? [] : ['ApiIntegrationCode']),
    ...(username ? [] : ['UserName']),
    ...(secret ? [] : ['Secret']),
  ];
  if (missing.length > 0 || !code || !username || !secret) {
    throw unauthorized(`Missing authentication headers: ${missing.join(', ')}`);
  }
  const user = apiUserNamed(db, username);
  if (user?.apiUser) {
    if (!same(hashSecret(secret, user.apiUser.secretSalt).hash, user.apiUser.secretHash)) {
      throw unauthorized('User authentication failed: the secret does not match.');
    }
    if (!user.isActive) throw unauthorized('User authentication failed: the API user is inactive.');
    if (user.apiUser.locked) throw unauthorized('User authentication failed: the API user is locked.');
    return { integrationCode: code, resourceKey: user.key };
  }
  if (!declared) return { integrationCode: code };
  if (username.toLowerCase() !== declared.username.toLowerCase()) {
    throw refused('Unable to authenticate the user: the username is not known to this database.');
  }
  if (!same(secret, declared.secret))
    throw unauthorized('User authentication failed: the secret does not match.');
  if (code !== declared.integrationCode) {
    throw refused('The integration code is not valid (ApiIntegrationCode).');
  }
  return { integrationCode: code };
}

/** Whether a username belongs to this database (the zone lookup answers only for those when credentials are declared). */
export function knownUser(db: SimDb, username: string, declared: SimCredentials | undefined): boolean {
  if (!declared) return true;
  if (declared.username.toLowerCase() === username.toLowerCase()) return true;
  return apiUserNamed(db, username) !== undefined;
}
