import { expect } from 'vitest';
import type { Logger } from '../logger.js';
import type { OperateResult } from '../provider.js';
import { isSecret } from '../secret.js';

/** What the suite saw of a provider: every log line, object and error, scanned for secrets. */
export class Seen {
  readonly lines: string[] = [];
  readonly texts: string[] = [];
  readonly secrets: string[];

  constructor(secrets: readonly string[]) {
    this.secrets = secrets.filter((s) => s.length > 0);
  }

  readonly log: Logger = {
    info: (m) => void this.lines.push(m),
    warn: (m) => void this.lines.push(m),
    debug: (m) => void this.lines.push(m),
  };

  /** Something a provider returned. */
  object<T>(value: T): T {
    this.texts.push(JSON.stringify(value) ?? '');
    return value;
  }

  /** An operator step's result: the secrets it hands over join the ones that must never show. */
  operated(result: OperateResult): OperateResult {
    for (const s of Object.values(result.secrets ?? {})) {
      expect(isSecret(s), 'a secret the system showed once is handed over as a Secret').toBe(true);
      if (s.present) this.secrets.push(s.reveal());
    }
    return this.object(result);
  }

  /** An error a provider gave: one clean line, no stack, no secret. */
  error(err: unknown): Error {
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    this.texts.push(message);
    expect(message.trim().length).toBeGreaterThan(0);
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/\bat .+:\d+:\d+\)?$/);
    for (const s of this.secrets) expect(message).not.toContain(s);
    return err as Error;
  }

  /** The secrets (shown by their first two characters) found in anything seen. */
  leaks(): string[] {
    const all = [...this.lines, ...this.texts];
    return this.secrets.filter((s) => all.some((t) => t.includes(s))).map((s) => `${s.slice(0, 2)}…`);
  }
}

/** The error a promise rejects with, or undefined when it resolves. */
export function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (err: unknown) => err ?? new Error('rejected without a reason'),
  );
}
