/**
 * Where a text opens more than `limit` flow collections (`[`, `{`) without closing them, or -1.
 *
 * The `yaml` parser needs time that grows with flow nesting before it gives up with its stack
 * guard: a 4 MB file of `[[[[…` took 38 s to refuse. This linear scan refuses such a file before
 * parsing. It is deliberately rough (brackets inside quoted or plain scalars count too, comments and
 * document markers do not), so it is used with a limit well above the real depth limit: no
 * manifest a person writes has hundreds of unclosed brackets in one document.
 */
export function firstDeepFlow(text: string, limit: number): number {
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      continue;
    }
    if (lineStart && text.startsWith('---', i)) depth = 0;
    lineStart = false;
    if (c === 0x23 /* # */ && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if ((c === 0x5d /* ] */ || c === 0x7d) /* } */ && depth > 0) depth -= 1;
  }
  return -1;
}
