import type { InventoryAccount, InventoryPermission, InventoryReport } from '../inventory/types.js';
import type {
  BatonDirectUserGrant,
  BatonEntitlement,
  BatonFile,
  BatonResource,
  BatonUser,
} from './baton-file-format.js';

type Profile = Record<string, string | number | boolean>;

/**
 * Ids are derived from what identifies a thing in its system, never from a position or a run, so
 * a governance tool's certifications carry over from one export to the next. An account is
 * `<provider>/<Kind>/<naturalKey>` (its inventory address when unmanaged): adopting an unmanaged
 * account into a manifest, or renaming its `metadata.name`, keeps its id.
 */
export const batonIds = {
  account: (a: Pick<InventoryAccount, 'provider' | 'kind' | 'naturalKey'>) =>
    `${a.provider}/${a.kind}/${a.naturalKey}`,
  system: (provider: string) => provider,
  role: (provider: string, role: string) => `${provider}/role/${role}`,
  credentials: (accountId: string) => `${accountId}#credentials`,
};

/** The entitlement slug a role's holders are granted (baton's convention for the role trait). */
export const ROLE_SLUG = 'assigned';

/**
 * `roster inventory --format baton`: the inventory as the JSON input file of ConductorOne's
 * baton-file connector (save it with a `.json` name). Each account and connection is a service
 * user; each system a resource of trait `app` whose entitlements are the permissions accounts hold
 * in it; each role, security level or group a resource of trait `role` with entitlement
 * `assigned`; credentials roster tracks a `secret`. Grants: every role an account holds and every
 * effective permission (direct grants: the path each comes through is in the user's profile, as
 * the format has no field for it on a grant). Pure; output sorted by id and free of the report's
 * time, so the same population gives the same bytes (a diff of two exports is a change of access).
 */
export function batonFile(report: InventoryReport): BatonFile {
  const systemOf = new Map<string, string>();
  for (const a of report.accounts) systemOf.set(a.provider, a.system);
  const providers = new Set(systemOf.keys());
  for (const a of report.accounts) {
    for (const p of a.permissions) for (const hop of p.via) providers.add(hop.slice(0, hop.indexOf('/')));
  }
  const users: BatonUser[] = [];
  const resources = new Map<string, BatonResource>();
  const entitlements = new Map<string, BatonEntitlement>();
  const grants = new Map<string, BatonDirectUserGrant>();
  const accountsPer = new Map<string, number>();
  const permissions = new Set<string>();
  const escalating = new Set<string>();

  const app = (provider: string): string => {
    const id = batonIds.system(provider);
    if (resources.has(id)) return id;
    const system = systemOf.get(provider);
    resources.set(id, {
      resource_type: 'system',
      trait: 'app',
      id,
      display_name: system ? `${provider} (${system})` : provider,
      description: `${system ? `The ${system} system` : 'The system'} of roster provider ${provider}: its accounts, connections, roles and permissions as roster inventory reads them.`,
      profile: prune({
        provider,
        system: system ?? null,
        stale_after_days: report.staleAfterDays,
      }),
    });
    return id;
  };
  /** Grants `principal` the entitlement `ent`, defining it on first use. */
  const grant = (principal: string, ent: BatonEntitlement) => {
    const key = `${ent.resource_id}\n${ent.entitlement_slug}`;
    if (!entitlements.has(key)) entitlements.set(key, ent);
    const { resource_id, entitlement_slug } = ent;
    grants.set(`${principal}\n${key}`, { principal_id: principal, resource_id, entitlement_slug });
  };

  for (const a of report.accounts) {
    const userId = batonIds.account(a);
    users.push(batonUser(a, userId, report, providers));
    const system = app(a.provider);
    accountsPer.set(a.provider, (accountsPer.get(a.provider) ?? 0) + 1);
    for (const role of a.roles) {
      const id = batonIds.role(a.provider, role);
      if (!resources.has(id)) {
        resources.set(id, {
          resource_type: 'role',
          trait: 'role',
          id,
          display_name: `${role} (${a.provider})`,
          description: `Role, security level or group ${role} in ${a.provider}.`,
          parent_resource: system,
        });
      }
      grant(userId, {
        resource_id: id,
        entitlement_slug: ROLE_SLUG,
        display_name: `${role}: assigned`,
        description: `Holds ${role} in ${a.provider}.`,
      });
    }
    for (const p of a.permissions) {
      const target = permissionTarget(a, p, providers);
      const on = app(target.provider);
      if (p.escalates) escalating.add(`${on}\n${target.name}`);
      permissions.add(`${on}\n${target.name}`);
      grant(userId, { resource_id: on, entitlement_slug: target.name, display_name: target.name });
    }
    if (a.credentials.issuedAt) resources.set(batonIds.credentials(userId), credentials(a, userId, system));
  }

  for (const key of permissions) {
    const e = entitlements.get(key)!;
    const escalates = escalating.has(key);
    e.description = `Permission ${e.entitlement_slug} in ${e.resource_id}${escalates ? ': lets the holder change its own rights (privilege escalation)' : ''}.`;
  }
  for (const [provider, n] of accountsPer) {
    const r = resources.get(batonIds.system(provider))!;
    r.profile = { ...r.profile, accounts: n };
  }
  assertUniqueIds(users, resources);

  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([x], [y]) => cmp(x, y)).map(([, v]) => v);
  return {
    users: users.sort((x, y) => cmp(x.id, y.id)),
    resources: byKey(resources),
    entitlements: byKey(entitlements),
    direct_user_grants: byKey(grants),
  };
}

/** {@link batonFile} as the JSON text baton-file reads. */
export function renderBaton(report: InventoryReport): string {
  return JSON.stringify(batonFile(report), null, 2);
}

function batonUser(
  a: InventoryAccount,
  id: string,
  report: InventoryReport,
  providers: ReadonlySet<string>,
): BatonUser {
  const findings = report.findings.filter((f) => f.address === a.address);
  const conflicts = report.conflicts.filter((c) => c.address === a.address);
  const profile: Record<string, string | number | boolean | null> = {
    address: a.address,
    system: a.system,
    provider: a.provider,
    kind: a.kind,
    account_role: a.role,
    roster_status: a.status,
    system_id: a.id,
    owner: a.owner,
    backup_owner: a.backupOwner,
    purpose: a.purpose,
  };
  for (const [k, v] of Object.entries(a.labels).sort(([x], [y]) => cmp(x, y))) {
    if (k !== 'owner' && k !== 'backup-owner' && k !== 'purpose') profile[`label.${k}`] = v;
  }
  Object.assign(profile, {
    drift: a.drift,
    credentials_issued_at: a.credentials.issuedAt,
    credentials_age_days: a.credentials.ageDays,
    rotate_after_days: a.credentials.rotateAfterDays,
    rotation_due: a.credentials.rotationDue,
    attested_at: a.attestation?.at ?? null,
    attested_by: a.attestation?.by ?? null,
    attestation_age_days: a.attestation?.ageDays ?? null,
    last_used_at: a.lastUsed.at,
    last_used_source: a.lastUsed.source,
    last_used_field: a.lastUsed.field,
    last_used_unknown: a.lastUsed.unknownReason ?? null,
    stale: findings.some((f) => f.rule === 'inventory.stale'),
    findings:
      findings.map((f) => `${f.rule}: ${f.message}${f.excepted ? ' (excepted)' : ''}`).join('; ') || null,
    sod_conflicts:
      conflicts.map((c) => `${c.pack}/${c.rule}${c.excepted ? ' (excepted)' : ''}`).join(', ') || null,
    manifest: a.file ? `${a.file}:${a.line}:${a.column}` : null,
  });
  const paths = new Map<string, string[]>();
  for (const p of a.permissions) {
    if (p.via.length === 0) continue;
    const target = permissionTarget(a, p, providers);
    const key = `via.${target.provider}/${target.name}`;
    paths.set(key, [...(paths.get(key) ?? []), p.via.join(' -> ')]);
  }
  for (const [k, v] of [...paths].sort(([x], [y]) => cmp(x, y))) profile[k] = v.join(' | ');

  // Only the system's own record is a login; a `roster test` sign-in proves the credentials work,
  // not that the integration used them, so it stays in the profile, labelled.
  const lastLogin = a.lastUsed.source === 'system' && a.lastUsed.at ? { last_login: a.lastUsed.at } : {};
  return {
    id,
    display_name: `${a.name} (${a.provider})`,
    status: a.status === 'deactivated' ? 'disabled' : a.drift === 'deleted' ? 'deleted' : 'enabled',
    type: 'service',
    ...lastLogin,
    login: a.naturalKey,
    status_details: statusDetails(a),
    profile: prune(profile),
  };
}

/**
 * Where a permission lives and its name there. A connection's permissions are those of the account
 * it signs in as, in that account's system, named `<provider>: <permission>` (the providers'
 * convention): filed under that provider without the prefix, they are the same entitlement the
 * account itself holds. Without the prefix, the last hop of the path names the system (addresses
 * are `<provider>/<Kind>/<name>`, provider names have no `/`); with neither, the account's own.
 */
function permissionTarget(
  a: InventoryAccount,
  p: InventoryPermission,
  providers: ReadonlySet<string>,
): { provider: string; name: string } {
  const colon = p.name.indexOf(': ');
  const prefix = colon > 0 ? p.name.slice(0, colon) : '';
  if (a.role === 'connector' && providers.has(prefix))
    return { provider: prefix, name: p.name.slice(colon + 2) };
  const last = p.via.at(-1);
  return { provider: last ? last.slice(0, last.indexOf('/')) : a.provider, name: p.name };
}

function statusDetails(a: InventoryAccount): string {
  if (a.status === 'deactivated') return 'deactivated in the system';
  if (a.status === 'unmanaged') return 'unmanaged: no roster manifest declares it';
  if (a.drift === 'deleted') return 'managed by roster, but the system no longer holds it';
  return `managed by roster (drift: ${a.drift})`;
}

function credentials(a: InventoryAccount, userId: string, system: string): BatonResource {
  return {
    resource_type: 'credential',
    trait: 'secret',
    id: batonIds.credentials(userId),
    display_name: `Credentials of ${a.name} (${a.provider})`,
    description:
      'Credentials roster issued or last saw issued; expires_at is the rotation due date of rotateAfterDays, not an expiry the system enforces.',
    parent_resource: system,
    created_at: a.credentials.issuedAt!,
    ...(a.credentials.rotationDue ? { expires_at: a.credentials.rotationDue } : {}),
    identity: `user:${userId}`,
  };
}

function assertUniqueIds(users: BatonUser[], resources: Map<string, BatonResource>): void {
  const seen = new Set<string>();
  for (const id of [...users.map((u) => u.id), ...resources.keys()]) {
    // baton-file rejects a file whose users and resources share an id; the id scheme keeps them
    // apart (Kinds are PascalCase, `role` is not), so a clash is a bug here, not a user error.
    if (seen.has(id)) throw new Error(`baton export: two users or resources would share the id ${id}`);
    seen.add(id);
  }
}

function prune(o: Record<string, string | number | boolean | null>): Profile {
  const out: Profile = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== '') out[k] = v;
  return out;
}

/** Code-unit order: the same on every machine and locale. */
function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
