import type { InventoryAccount, InventoryConflict } from '../../inventory/types.js';
import { dotAttrs, dotString } from './dot-text.js';

/** What the graph highlights, by account address. */
export interface GraphMarks {
  /** SoD conflicts in force (excepted ones are not highlighted). */
  conflicts: Map<string, InventoryConflict[]>;
  /** Accounts of an `inventory.stale` finding. */
  stale: Set<string>;
}

/** One provider's graph: its accounts, and what its connectors reach in other providers. */
export interface AccessGraph {
  provider: string;
  system: string;
  /** Accounts of this provider drawn. */
  accounts: number;
  /** Accounts of this provider left out (past `DRAW_ALL_UP_TO`: those with no highlight). */
  omitted: number;
  /** Null when nothing is left to draw. */
  dot: string | null;
}

/**
 * Up to this many accounts of one provider, the graph draws them all; past it, only those with a
 * conflict or a stale mark (the table lists the rest). Hundreds of accounts make a picture no one
 * reads, and Graphviz took 6 s for 3,000.
 */
export const DRAW_ALL_UP_TO = 200;

/**
 * Past this many permissions under one account, group or role, the graph draws the conflicting and
 * escalating ones and folds the rest into one "+N more permissions" node (the accounts table lists
 * every permission): an Intacct role carries dozens, and a node per permission made the graph of a
 * real company unreadable.
 */
export const FOLD_AFTER = 8;

interface Node {
  id: string;
  cluster: string;
  attrs: Record<string, string | undefined>;
  label: string[];
}

/** `<provider>/<Kind>/<name>`; what does not parse is a name of the given provider. */
function parseAddress(address: string, fallbackProvider: string) {
  const [provider, kind, ...rest] = address.split('/');
  if (provider === undefined || kind === undefined || rest.length === 0)
    return { provider: fallbackProvider, kind: '', name: address };
  return { provider, kind, name: rest.join('/') };
}

/** Conflicting permission names of one account (excepted conflicts left out). */
function conflictingPermissions(marks: GraphMarks, address: string): Set<string> {
  const names = new Set<string>();
  for (const c of marks.conflicts.get(address) ?? [])
    if (!c.excepted) for (const p of c.permissions) names.add(p);
  return names;
}

function accountNode(a: InventoryAccount, marks: GraphMarks, id: string): Node {
  const conflict = conflictingPermissions(marks, a.address).size > 0;
  const stale = marks.stale.has(a.address);
  const classes = [
    'account',
    a.role === 'connector' ? 'connector' : '',
    a.status,
    conflict ? 'conflict' : '',
    stale ? 'stale' : '',
  ];
  const label = [a.name, `${a.kind} · ${a.role === 'connector' ? 'connector · ' : ''}${a.status}`];
  if (conflict) label.push('[SoD conflict]');
  if (stale) label.push('[stale]');
  return {
    id,
    cluster: a.provider,
    label,
    attrs: {
      id,
      class: classes.filter(Boolean).join(' '),
      tooltip: a.address,
      shape: 'box',
      style: a.status === 'managed' ? 'rounded,filled' : 'rounded,filled,dashed',
      fillcolor: conflict
        ? '#fecaca'
        : stale
          ? '#fde68a'
          : a.status === 'deactivated'
            ? '#e5e7eb'
            : '#dbeafe',
      color: conflict ? '#b91c1c' : stale ? '#b45309' : '#1e3a8a',
      penwidth: conflict || stale ? '2' : '1',
    },
  };
}

/**
 * One graph per provider (one cluster each, a Provider document being one system instance): a
 * graph of every account at once was unreadable past a dozen accounts, while a provider's accounts
 * share its groups and roles. A connector's path crosses into the provider of the account it signs
 * in as, drawn as a second cluster in the same graph.
 */
export function accessGraphs(
  accounts: InventoryAccount[],
  marks: GraphMarks,
  idPrefix: string,
): AccessGraph[] {
  const byAddress = new Map(accounts.map((a) => [a.address, a]));
  const providers = [...new Set(accounts.map((a) => a.provider))].sort();
  const systemOf = new Map(accounts.map((a) => [a.provider, a.system]));
  return providers.map((provider, i) => {
    const all = accounts
      .filter((a) => a.provider === provider)
      .sort((a, b) => (a.address < b.address ? -1 : 1));
    const own =
      all.length <= DRAW_ALL_UP_TO
        ? all
        : all.filter((a) => marks.stale.has(a.address) || conflictingPermissions(marks, a.address).size > 0);
    return {
      provider,
      system: systemOf.get(provider) ?? provider,
      accounts: own.length,
      omitted: all.length - own.length,
      dot: own.length === 0 ? null : providerGraph(own, byAddress, marks, `${idPrefix}${i}`, systemOf),
    };
  });
}

function providerGraph(
  own: InventoryAccount[],
  byAddress: Map<string, InventoryAccount>,
  marks: GraphMarks,
  prefix: string,
  systemOf: Map<string, string>,
): string {
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Edge>();
  // Per parent (account, group or role): the permissions reached through it, and which to keep.
  const leaves = new Map<string, Leaf>();
  const escalating = new Set<string>();
  const ensure = (key: string, make: (id: string) => Node) => {
    const existing = nodes.get(key);
    if (existing) return existing;
    const node = make(`${prefix}-n${nodes.size}`);
    nodes.set(key, node);
    return node;
  };
  const edge = (from: string, to: string, attrs: Record<string, string | undefined> = {}) => {
    const key = JSON.stringify([from, to]);
    edges.set(key, { from, to, attrs: { ...edges.get(key)?.attrs, ...attrs } });
  };

  for (const a of own) {
    ensure(`a|${a.address}`, (id) => accountNode(a, marks, id));
    const hot = conflictingPermissions(marks, a.address);
    for (const p of a.permissions) {
      let parent = `a|${a.address}`;
      let provider = a.provider;
      p.via.forEach((address, step) => {
        const target = byAddress.get(address);
        const parsed = parseAddress(address, provider);
        const key = target ? `a|${address}` : `v|${address}`;
        ensure(key, (id) => (target ? accountNode(target, marks, id) : viaNode(address, parsed, id)));
        // The first hop of a connector is the account it signs in as, in another system.
        edge(
          parent,
          key,
          a.role === 'connector' && target && step === 0
            ? { style: 'dashed', label: 'signs in as', class: 'connects' }
            : {},
        );
        parent = key;
        provider = parsed.provider;
      });
      const leaf = leaves.get(parent) ?? { provider, names: new Set(), keep: new Set(), hot: new Set() };
      leaves.set(parent, leaf);
      leaf.names.add(p.name);
      if (p.escalates) escalating.add(`${provider}|${p.name}`);
      if (p.escalates || hot.has(p.name)) leaf.keep.add(p.name);
      if (hot.has(p.name)) leaf.hot.add(p.name);
    }
  }

  // Permission nodes, shared by the parents that reach them: marked if any path to them conflicts.
  const permissions = new Map<string, { provider: string; name: string; conflict: boolean }>();
  for (const [parent, leaf] of [...leaves].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const names = [...leaf.names].sort();
    const shown = names.length > FOLD_AFTER ? names.filter((n) => leaf.keep.has(n)) : names;
    for (const name of shown) {
      const key = `p|${leaf.provider}|${name}`;
      const hot = leaf.hot.has(name);
      const known = permissions.get(key);
      permissions.set(key, { provider: leaf.provider, name, conflict: hot || (known?.conflict ?? false) });
      edge(parent, key, hot ? { color: '#b91c1c', penwidth: '2', class: 'conflict' } : {});
    }
    const folded = names.filter((n) => !shown.includes(n));
    if (folded.length > 0) {
      ensure(`f|${parent}`, (id) => foldedNode(leaf.provider, folded, id));
      edge(parent, `f|${parent}`, { style: 'dashed', color: '#6b7280' });
    }
  }
  for (const [key, p] of permissions)
    ensure(key, (id) =>
      permissionNode(p.provider, p.name, p.conflict, escalating.has(`${p.provider}|${p.name}`), id),
    );
  return writeDot(prefix, nodes, [...edges.values()], systemOf);
}

interface Edge {
  from: string;
  to: string;
  attrs: Record<string, string | undefined>;
}

interface Leaf {
  provider: string;
  names: Set<string>;
  /** Drawn even when the rest is folded: conflicting or escalating. */
  keep: Set<string>;
  /** In an SoD conflict of an account that reaches it through this parent. */
  hot: Set<string>;
}

/** A group, role or other hop between an account and its permissions. */
function viaNode(
  address: string,
  parsed: { provider: string; kind: string; name: string },
  id: string,
): Node {
  return {
    id,
    cluster: parsed.provider,
    label: parsed.kind ? [parsed.name, parsed.kind] : [parsed.name],
    attrs: {
      id,
      class: 'via',
      tooltip: address,
      shape: 'ellipse',
      style: 'filled',
      fillcolor: '#e0e7ff',
      color: '#3730a3',
    },
  };
}

function foldedNode(provider: string, folded: string[], id: string): Node {
  return {
    id,
    cluster: provider,
    label: [`+${folded.length} more permissions`],
    attrs: {
      id,
      class: 'folded',
      tooltip: folded.join(', '),
      shape: 'box',
      style: 'dashed',
      color: '#6b7280',
    },
  };
}

/** A permission: plain, or marked as conflicting or escalating (colour and a text marker). */
function permissionNode(
  provider: string,
  name: string,
  conflict: boolean,
  escalates: boolean,
  id: string,
): Node {
  const label = [name];
  if (conflict) label.push('[SoD conflict]');
  if (escalates) label.push('[escalates]');
  return {
    id,
    cluster: provider,
    label,
    attrs: {
      id,
      class: ['permission', conflict ? 'conflict' : '', escalates ? 'escalates' : '']
        .filter(Boolean)
        .join(' '),
      shape: 'box',
      style: 'filled',
      fillcolor: conflict ? '#fee2e2' : '#ffffff',
      color: conflict ? '#b91c1c' : escalates ? '#7c2d12' : '#6b7280',
      penwidth: conflict || escalates ? '2' : '1',
    },
  };
}

const FONT = 'Helvetica,Arial,sans-serif';

function writeDot(
  prefix: string,
  nodes: Map<string, Node>,
  edges: Edge[],
  systemOf: Map<string, string>,
): string {
  const out: string[] = [
    `digraph ${dotString(prefix)} {`,
    `  graph [${dotAttrs({ id: prefix, rankdir: 'LR', nodesep: '0.2', ranksep: '0.5', fontname: FONT, bgcolor: 'transparent' })}];`,
    `  node [${dotAttrs({ fontname: FONT, fontsize: '11' })}];`,
    `  edge [${dotAttrs({ fontname: FONT, fontsize: '9', color: '#374151' })}];`,
  ];
  const clusters = [...new Set([...nodes.values()].map((n) => n.cluster))].sort();
  clusters.forEach((cluster, i) => {
    const system = systemOf.get(cluster);
    const title = system && system !== cluster ? `${cluster} (${system})` : cluster;
    out.push(`  subgraph ${dotString(`cluster_${i}`)} {`);
    out.push(
      `    graph [${dotAttrs({ id: `${prefix}-c${i}`, class: 'system', style: 'rounded', color: '#9ca3af' }, [title])}];`,
    );
    for (const n of nodes.values())
      if (n.cluster === cluster) out.push(`    ${dotString(n.id)} [${dotAttrs(n.attrs, n.label)}];`);
    out.push('  }');
  });
  for (const e of edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (a && b) out.push(`  ${dotString(a.id)} -> ${dotString(b.id)} [${dotAttrs(e.attrs)}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
