/**
 * A value as a double-quoted DOT string. Graphviz reads escapes in labels (`\N`, `\G`, `\l`, …), so
 * a backslash from the data is doubled and a quote escaped; line breaks from the data become
 * spaces (a label's own line breaks are written by `dotAttrs` between its lines).
 */
export function dotString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, ' ')}"`;
}

/**
 * `key="value"` pairs of a node, an edge or a subgraph (undefined ones left out), then the label:
 * its lines escaped one by one and joined with Graphviz's centred line break.
 */
export function dotAttrs(attrs: Record<string, string | undefined>, label?: string[]): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) parts.push(`${k}=${dotString(v)}`);
  if (label) parts.push(`label="${label.map((l) => dotString(l).slice(1, -1)).join('\\n')}"`);
  return parts.join(', ');
}
