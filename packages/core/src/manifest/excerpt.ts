/** Longest piece of a manifest's own text (a key, a name) a message quotes whole. */
export const MAX_ECHO_CHARS = 40;

/**
 * A key or value of a manifest as a message may quote it: whole when short, else its first
 * `keep` characters and its length. A file that is not a manifest (a config file, a password file) parses
 * as YAML keys a whole line long; messages must not echo those lines.
 */
export function excerpt(text: string, max = MAX_ECHO_CHARS, keep = 16): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.min(keep, max)).join('')}… (${chars.length} characters)`;
}
