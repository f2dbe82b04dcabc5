import { randomInt } from 'node:crypto';
import { accessProblems } from './access.js';
import { issueToken, type OutboxMail } from './console.js';
import { badRequest, refused } from './errors.js';
import { type AppConnectorRec, codeKey, type UserRec } from './records.js';
import type { SimDb, SimStore } from './store.js';

const OTP_LIFETIME_MS = 10 * 60 * 1000;

interface PendingOtp {
  otp: string;
  expires: number;
}

function field(body: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = body[n];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

/**
 * The user-token OTP flow: `POST /otprequest {apiKey, apiToken, userId}` e-mails a one-time
 * password (here: into the in-memory outbox the console shows), `POST /otpvalidation` with the
 * same fields plus `otp` answers `{token}` once. Both accept `userid` as the examples spell it,
 * and a user id or e-mail address. OTPs are never written to the sandbox files.
 */
export class OtpService {
  readonly #pending = new Map<string, PendingOtp>();

  constructor(
    readonly store: SimStore,
    readonly outbox: OutboxMail[],
  ) {}

  #resolve(db: SimDb, body: Record<string, unknown>): { app: AppConnectorRec; user: UserRec } {
    const apiKey = field(body, 'apiKey');
    const apiToken = field(body, 'apiToken');
    const who = field(body, 'userId', 'userid');
    if (!apiKey || !apiToken || !who) throw badRequest('apiKey, apiToken and userId are required');
    const env = db.table('setting').get('environment');
    if (!env || env.environmentKey !== apiToken) throw refused('The environment key (apiToken) is not valid');
    const app = db
      .table('appConnector')
      .values()
      .find((a) => a.apiKey === apiKey);
    if (!app) throw refused('The API key (apiKey) does not belong to an app connector');
    const user =
      db.table('user').get(codeKey(who)) ??
      db
        .table('user')
        .values()
        .find((u) => u.email?.toLowerCase() === who.toLowerCase());
    if (!user) throw refused(`User '${who}' does not exist`);
    return { app, user };
  }

  async request(body: Record<string, unknown>): Promise<void> {
    const { app, user } = await this.store.read((db) => this.#resolve(db, body));
    // Profit checks membership of the app connector's group, then mails the OTP.
    const problems = await this.store.read((db) =>
      accessProblems(db, user, app, { checkToken: false }).filter((p) => !p.startsWith('App connector')),
    );
    if (problems.length > 0) throw refused(problems.join('; '));
    if (!user.email) throw refused(`User '${user.userId}' has no e-mail address to send the OTP to`);
    const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.#pending.set(`${app.key}\u0000${user.key}`, { otp, expires: Date.now() + OTP_LIFETIME_MS });
    this.outbox.push({
      to: user.email,
      subject: `${app.description}: one-time password`,
      otp,
      at: new Date().toISOString(),
    });
  }

  async validate(body: Record<string, unknown>): Promise<{ token: string }> {
    const otp = field(body, 'otp');
    if (!otp) throw badRequest('otp is required');
    const { app, user } = await this.store.read((db) => this.#resolve(db, body));
    const key = `${app.key}\u0000${user.key}`;
    const pending = this.#pending.get(key);
    if (!pending || pending.expires < Date.now() || pending.otp !== otp) {
      throw refused('The one-time password is not valid or has expired');
    }
    this.#pending.delete(key);
    const issued = await this.store.transact((tx) => {
      const a = tx.table('appConnector').get(app.key);
      if (!a) throw refused('The app connector no longer exists');
      const description = `OTP ${new Date().toISOString()} ${tx.table('token').size + 1}`;
      return issueToken(tx, a, user.userId, description);
    });
    return { token: `${issued.token}\r\n` };
  }
}
