import { UserError } from '../diagnostics.js';
import type { AttributeRule } from '../provider.js';
import { plural } from '../render/plural.js';
import { isSecret, type Secret } from '../secret.js';
import type { StateDocument } from '../state/types.js';
import type { Project } from './project.js';
import type { Connections } from './refresh.js';

/** One row of `roster test`: can this account sign in with its own credentials, and read what it needs? */
export interface AccountTest {
  address: string;
  /** Provider name and type, e.g. `autotask-prod (autotask)`. */
  system: string;
  /** `pass`, `fail`, or `skipped` (the system gives no way to sign in as this account). */
  status: 'pass' | 'fail' | 'skipped';
  authenticated?: boolean;
  /** What was read to check its permissions, and whether it worked. */
  permission?: { ok: boolean; checked: string };
  /** ISO time the credentials were last issued, as state records it. */
  lastRotation?: string;
  message?: string;
}

/**
 * Sign in as each managed account (a resource whose kind has role `account`, e.g. a ServiceAccount;
 * or only `addresses`) with the credentials its manifest's `credentials` point at, through its
 * provider's `test` hook. Secrets stay in memory.
 */
export async function testAccounts(req: {
  project: Project;
  state: StateDocument;
  connections: Connections;
  addresses?: readonly string[];
}): Promise<AccountTest[]> {
  const accounts = req.project.desired.filter(
    (d) => req.project.kindOf(d.provider, d.kind)?.role === 'account',
  );
  const wanted = req.addresses && req.addresses.length > 0 ? new Set(req.addresses) : undefined;
  if (wanted) {
    const known = new Set(accounts.map((a) => a.address));
    const unknown = [...wanted].filter((a) => !known.has(a));
    if (unknown.length > 0)
      throw new UserError(
        `roster test: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an account in the manifests (accounts: ${[...known].join(', ') || 'none'})`,
      );
  }
  const rows: AccountTest[] = [];
  for (const d of accounts) {
    if (wanted && !wanted.has(d.address)) continue;
    const cp = req.project.providers.get(d.provider);
    const system = `${d.provider} (${cp?.provider.type ?? '?'})`;
    const st = req.state.resources[d.address];
    const lastRotation = st?.credentialsIssuedAt;
    const base = { address: d.address, system, ...(lastRotation ? { lastRotation } : {}) };
    const conn = req.connections.byName.get(d.provider);
    const untestable = cp?.provider.kinds[d.kind]?.untestable;
    if (!conn?.test || untestable) {
      rows.push({
        ...base,
        status: 'skipped',
        message: untestable ?? 'roster test is not available for this kind of account in this system',
      });
      continue;
    }
    if (!st) {
      rows.push({ ...base, status: 'fail', message: 'not applied yet: run roster apply first' });
      continue;
    }
    const rules = cp?.provider.kinds[d.kind]?.attributes ?? {};
    const result = await conn.test({
      kind: d.kind,
      address: d.address,
      id: st.id,
      naturalKey: st.naturalKey,
      attributes: st.attributes,
      credentials: credentialsOf(d.spec, rules),
    });
    const ok = result.authenticated && result.permission?.ok !== false;
    rows.push({
      ...base,
      status: ok ? 'pass' : 'fail',
      authenticated: result.authenticated,
      ...(result.permission ? { permission: result.permission } : {}),
      ...(result.message ? { message: result.message } : {}),
    });
  }
  return rows;
}

/** The account's own secrets, from its `local` credentials attribute. */
function credentialsOf(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, Secret> {
  const out: Record<string, Secret> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (!rules[k]?.local || !v || typeof v !== 'object') continue;
    for (const [name, value] of Object.entries(v)) if (isSecret(value)) out[name] = value;
  }
  return out;
}

/** The results as a table for a terminal. */
export function renderAccountTests(rows: readonly AccountTest[]): string {
  if (rows.length === 0) return 'No accounts to test.\n';
  const table = rows.map((r) => [
    r.address,
    r.system,
    r.status === 'skipped' ? 'n/a' : r.authenticated ? 'yes' : 'no',
    r.permission
      ? `${r.permission.ok ? 'ok' : 'FAILED'}: ${r.permission.checked}`
      : r.status === 'skipped'
        ? 'n/a'
        : '-',
    r.lastRotation ? r.lastRotation.slice(0, 10) : '-',
    r.status.toUpperCase() + (r.message ? ` (${r.message})` : ''),
  ]);
  const head = ['account', 'system', 'authenticated', 'permission check', 'last rotation', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const failed = rows.filter((r) => r.status === 'fail').length;
  return `${[line(head), ...table.map(line)].join('\n')}\n\n${failed === 0 ? 'All accounts that can be tested passed.' : `${plural(failed, 'account')} failed.`}\n`;
}
