import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The OAuth2 client and the Intacct user a simulator accepts (none configured: any are accepted). */
export interface SimCredentials {
  clientId: string;
  clientSecret: string;
  userId: string;
}

/** What a valid access token says. */
export interface TokenClaims {
  /** User ID the token was issued for. */
  sub: string;
  /** Company ID. */
  cny: string;
  /** Entity ID, for an entity-level token. */
  ent?: string;
  exp: number;
  gen: number;
  /** Issued to the read-only account (`readCredentials`): the server refuses its writes. */
  ro?: true;
}

export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** An OAuth2 token-endpoint error (RFC 6749 §5.2 body). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function sameSecret(a: string, b: string): boolean {
  // Compare digests so neither length nor content leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** `userId@companyId[|entityId]`, the `username` of the client-credentials grant. */
export function parseUsername(
  username: string,
): { userId: string; companyId: string; entityId?: string } | undefined {
  const at = username.lastIndexOf('@');
  if (at <= 0) return undefined;
  const userId = username.slice(0, at);
  const [companyId, entityId] = username.slice(at + 1).split('|');
  if (!companyId) return undefined;
  return { userId, companyId, ...(entityId ? { entityId } : {}) };
}

/**
 * Issues and checks the simulator's tokens: JWT-shaped (header.claims.signature, HMAC-SHA256 with
 * a per-process secret), so any number of them cost nothing to keep, and a restart invalidates
 * them like an expiry would.
 */
export class TokenService {
  readonly #secret = randomBytes(32);
  readonly #companyId: string;
  readonly #credentials: SimCredentials | undefined;
  readonly #readCredentials: SimCredentials | undefined;
  readonly #lifetime: number;
  readonly #refresh = new Map<string, { sub: string; cny: string; ent?: string; ro?: true }>();
  #generation = 0;

  constructor(opts: {
    companyId: string;
    credentials?: SimCredentials;
    /**
     * A second client and user the token endpoint accepts, whose tokens may read but not write: a
     * sandbox's stand-in for roster's read-only account (a user whose role grants List and View only).
     */
    readCredentials?: SimCredentials;
    lifetimeSeconds?: number;
  }) {
    this.#companyId = opts.companyId;
    this.#credentials = opts.credentials;
    this.#readCredentials = opts.readCredentials;
    this.#lifetime = opts.lifetimeSeconds ?? 43_200;
  }

  /**
   * Check a client-credentials request. With configured credentials the client must match them,
   * and the user must be the configured one or a user of the company (`userExists`): the Web Services
   * client signs in as any of the company's web services users (`roster test` signs in as each).
   * Without configured credentials any client and user are accepted (a sandbox that declares none).
   * The read-only user of `readCredentials` gets a read-only token (`readOnly: true`); a company
   * user signing in through either client gets a token limited by its own roles.
   */
  clientCredentials(
    form: Record<string, string | undefined>,
    opts: { userExists?: boolean } = {},
  ): {
    userId: string;
    companyId: string;
    entityId?: string;
    readOnly?: true;
  } {
    const { client_id: clientId, client_secret: clientSecret, username } = form;
    if (!clientId || !clientSecret || !username) {
      throw new OAuthError(400, 'invalid_request', 'client_id, client_secret and username are required');
    }
    const who = parseUsername(username);
    if (!who) throw new OAuthError(400, 'invalid_request', 'username must be userId@companyId[|entityId]');
    const c = this.#credentials;
    const r = this.#readCredentials;
    if (!c && !r) return who;
    const clientIs = (x: SimCredentials | undefined) =>
      x !== undefined && sameSecret(clientId, x.clientId) && sameSecret(clientSecret, x.clientSecret);
    const asWrite = clientIs(c);
    const asRead = clientIs(r);
    if (!asWrite && !asRead) {
      throw new OAuthError(401, 'invalid_client', 'The client ID or client secret is not valid');
    }
    if (who.companyId.toLowerCase() !== this.#companyId.toLowerCase()) {
      throw new OAuthError(401, 'invalid_grant', 'The user or company is not valid for this client');
    }
    const user = who.userId.toLowerCase();
    // The read-only user stays read-only even when it shares the client with the write user.
    if (asRead && user === r!.userId.toLowerCase()) return { ...who, readOnly: true };
    if ((asWrite && user === c!.userId.toLowerCase()) || opts.userExists) return who;
    throw new OAuthError(401, 'invalid_grant', 'The user or company is not valid for this client');
  }

  issue(sub: string, cny: string, ent?: string, readOnly?: boolean): TokenResponse {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      sub,
      cny,
      ...(ent ? { ent } : {}),
      exp: now + this.#lifetime,
      gen: this.#generation,
      ...(readOnly ? { ro: true as const } : {}),
    };
    const body = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(
      JSON.stringify({
        iss: 'roster-intacct-sandbox',
        iat: now,
        jti: randomBytes(8).toString('hex'),
        ...claims,
      }),
    )}`;
    const sig = createHmac('sha256', this.#secret).update(body).digest('base64url');
    const refresh = randomBytes(24).toString('base64url');
    this.#refresh.set(refresh, {
      sub,
      cny,
      ...(ent ? { ent } : {}),
      ...(readOnly ? { ro: true as const } : {}),
    });
    return {
      token_type: 'Bearer',
      access_token: `${body}.${sig}`,
      refresh_token: refresh,
      expires_in: this.#lifetime,
    };
  }

  /** Exchange a refresh token; it is rotated (the old one stops working). */
  refresh(form: Record<string, string | undefined>): TokenResponse {
    const token = form.refresh_token;
    const entry = token ? this.#refresh.get(token) : undefined;
    if (!token || !entry) throw new OAuthError(400, 'invalid_grant', 'The refresh token is not valid');
    const sets = [this.#credentials, this.#readCredentials].filter((x): x is SimCredentials => !!x);
    const clientOk = sets.some(
      (x) =>
        sameSecret(form.client_id ?? '', x.clientId) && sameSecret(form.client_secret ?? '', x.clientSecret),
    );
    if (sets.length > 0 && !clientOk) {
      throw new OAuthError(401, 'invalid_client', 'The client ID or client secret is not valid');
    }
    this.#refresh.delete(token);
    // A refreshed token keeps what the first was: a read-only sign-in never becomes a writer.
    return this.issue(entry.sub, entry.cny, entry.ent, entry.ro === true);
  }

  /** The claims of a valid, unexpired, unrevoked token. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = createHmac('sha256', this.#secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (claims.exp * 1000 <= Date.now() || claims.gen !== this.#generation) return undefined;
    return claims;
  }

  /** Invalidate every token issued so far (tests use it to exercise re-authentication). */
  revokeAll(): void {
    this.#generation += 1;
    this.#refresh.clear();
  }
}
