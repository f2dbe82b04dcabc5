/**
 * How long a `Retry-After` value asks to wait, in ms: delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when the value is neither, so a garbled header falls back to the
 * client's own back-off instead of a wait of zero.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The first of `names` (in order) that holds a readable wait, in ms. */
export function retryAfterMs(
  headers: Headers,
  names: readonly string[] = ['retry-after'],
  now = Date.now(),
): number | undefined {
  for (const name of names) {
    const ms = parseRetryAfter(headers.get(name), now);
    if (ms !== undefined) return ms;
  }
  return undefined;
}
