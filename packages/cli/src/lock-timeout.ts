import { type Command, InvalidArgumentError, Option } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parse a `--lock-timeout` duration: `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds (as
 * Terraform's `-lock-timeout=30s`). `0` means fail at once, like no flag.
 */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) {
    throw new InvalidArgumentError(
      `expected a duration such as 30s, 5m or 500ms, got ${JSON.stringify(value)}`,
    );
  }
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1_000));
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError(`duration ${value} is too long`);
  return ms;
}

/**
 * Add `--lock-timeout DURATION` to a command that takes the state lock: wait that long for a run
 * holding it (polling with backoff) instead of failing at once. Added from outside the command's own
 * file, so every locking command gets the same flag and wording.
 */
export function withLockTimeout(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--lock-timeout <duration>',
      'wait up to this long for another run to release the state lock (e.g. 30s, 5m; default: fail at once)',
    ).argParser(parseDuration),
  );
}
