import { userInfo } from 'node:os';

/** Who runs roster, as attestations and the audit log record it: `$ROSTER_ACTOR`, else the OS user. */
export function actorName(): string {
  return process.env.ROSTER_ACTOR || safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
