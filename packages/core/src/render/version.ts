/** What `roster version` reports: roster's version, Node's, and each built-in provider's. */
export interface VersionInfo {
  roster: string;
  node: string;
  providers: { type: string; displayName: string; package: string; version: string }[];
}

/** `roster version` as text: one line for roster, one for Node, one per provider type. */
export function renderVersionText(info: VersionInfo): string {
  const width = Math.max(...info.providers.map((p) => p.type.length), 0);
  const lines = [`roster ${info.roster}`, `node ${info.node}`, 'providers:'];
  for (const p of info.providers)
    lines.push(`  ${p.type.padEnd(width)}  ${p.version}  (${p.displayName}, ${p.package})`);
  return `${lines.join('\n')}\n`;
}
