import {
  type CheckedResource,
  compileUserRegExp,
  type ProviderCheckRequest,
  type ProviderCheckResult,
  type UserRegExp,
  UserRegExpError,
} from '@roster/core';
import { DEFAULT_PERSONAL_PATTERN } from './config.js';
import type { ConnectorSpec } from './kinds/connector/spec.js';

type Finding = ProviderCheckResult['diagnostics'][number];

/**
 * Getint's guidance, checked before anything is done: a connection signs in as a dedicated
 * service account (never a person's), with the rights to create and update what it syncs, with
 * rotated credentials, documented by owner and purpose labels.
 */
export function checkConnections(req: ProviderCheckRequest): ProviderCheckResult {
  const cfg = req.config as {
    personalMailboxPattern?: string;
    serviceAccountExceptions?: string[];
    requireLabels?: string[];
  };
  const out: Finding[] = [];
  // RE2 (linear time): a pattern from the Provider document must not be able to hang a plan.
  let personal: UserRegExp | undefined;
  try {
    personal = compileUserRegExp(cfg.personalMailboxPattern ?? DEFAULT_PERSONAL_PATTERN, {
      ignoreCase: true,
    });
  } catch (e) {
    if (!(e instanceof UserRegExpError)) throw e;
    out.push({
      severity: 'error',
      code: 'getint.pattern',
      message: `personalMailboxPattern: ${e.message}`,
      address: `Provider/${req.provider}`,
      path: '/personalMailboxPattern',
    });
  }
  const exceptions = new Set((cfg.serviceAccountExceptions ?? []).map((s) => s.toLowerCase()));
  const requiredLabels = cfg.requireLabels ?? ['owner', 'purpose'];
  const referenced = new Map(req.referenced.map((r) => [r.address, r]));
  const add = (
    r: CheckedResource,
    severity: Finding['severity'],
    code: string,
    path: string,
    message: string,
  ) => out.push({ severity, code, message, address: r.address, path });

  for (const r of req.resources) {
    if (r.kind !== 'Connector') continue;
    const spec = r.spec as unknown as ConnectorSpec;
    const missing = requiredLabels.filter((l) => !r.labels[l]);
    if (missing.length > 0)
      add(
        r,
        'warning',
        'getint.labels',
        '/name',
        `connection ${spec.name} has no ${missing.map((l) => `labels.${l}`).join(' or ')}: document who owns it and what it is for`,
      );

    const account = spec.account;
    if (account && 'external' in account) {
      const user = account.external.user;
      if (personal?.test(user) && !exceptions.has(user.toLowerCase()))
        add(
          r,
          'error',
          'getint.personal-account',
          '/account/external/user',
          `${user} looks like a person’s own account: a Getint connection must sign in as a dedicated service account (declare it in serviceAccountExceptions if it is one)`,
        );
      if (!rotateAfterDays(spec.credentials))
        add(
          r,
          'warning',
          'getint.rotation',
          '/account',
          `the credentials of ${user} have no rotation period: set credentials.rotateAfterDays`,
        );
      continue;
    }
    if (!account) continue;
    const target = referenced.get(account.ref);
    if (!target) {
      add(r, 'error', 'getint.account', '/account/ref', `${account.ref} is not a declared ServiceAccount`);
      continue;
    }
    const missingOnAccount = requiredLabels.filter((l) => !target.labels[l]);
    if (missingOnAccount.length > 0)
      add(
        r,
        'warning',
        'getint.labels',
        '/account/ref',
        `${account.ref} has no ${missingOnAccount.map((l) => `labels.${l}`).join(' or ')}: document the account the connection uses`,
      );
    if (!rotateAfterDays(target.spec.credentials))
      add(
        r,
        'warning',
        'getint.rotation',
        '/account/ref',
        `${account.ref} has no credentials.rotateAfterDays: its credentials are never rotated`,
      );
    for (const [i, sync] of (spec.syncs ?? []).entries()) {
      if (!sync.write) continue;
      const verdict = canWrite(target, referenced, sync.object);
      if (verdict === undefined)
        add(
          r,
          'info',
          'getint.permissions-unknown',
          `/syncs/${i}`,
          `cannot check whether ${account.ref} may create and update ${sync.object}: its security level or roles are not declared with permissions roster can read`,
        );
      else if (!verdict.ok)
        add(
          r,
          'warning',
          'getint.permissions',
          `/syncs/${i}`,
          `${account.ref} may not create and update ${sync.object} (${verdict.why}): integrations on this connection will fail to write`,
        );
    }
  }
  return { diagnostics: out };
}

function rotateAfterDays(credentials: unknown): number | undefined {
  const d = (credentials as { rotateAfterDays?: unknown } | undefined)?.rotateAfterDays;
  return typeof d === 'number' ? d : undefined;
}

const refName = (v: unknown) =>
  v && typeof v === 'object' && typeof (v as { ref?: unknown }).ref === 'string'
    ? (v as { ref: string }).ref
    : undefined;

/**
 * Whether the managed account's security level (`securityLevel`) or roles (`roles`) grant add and
 * edit on `object`: a permission entry with that name whose value is `All`, or a list holding add
 * and edit (any case). Undefined when no level with permissions is declared.
 */
function canWrite(
  account: CheckedResource & { provider: string },
  referenced: Map<string, CheckedResource & { provider: string }>,
  object: string,
): { ok: boolean; why: string } | undefined {
  const refs = [
    refName(account.spec.securityLevel),
    ...((account.spec.roles as unknown[]) ?? []).map(refName),
  ].filter((x): x is string => x !== undefined);
  const levels = refs
    .map((name) => referenced.get(name.includes('/') ? name : `${account.provider}/SecurityLevel/${name}`))
    .filter(
      (l): l is CheckedResource & { provider: string } =>
        l !== undefined && typeof l.spec.permissions === 'object',
    );
  if (levels.length === 0) return undefined;
  const want = object.toLowerCase();
  for (const level of levels) {
    for (const [key, value] of Object.entries(level.spec.permissions as Record<string, unknown>)) {
      if (key.toLowerCase() !== want) continue;
      if (typeof value === 'string' && value.toLowerCase() === 'all') return { ok: true, why: '' };
      const rights = new Set((Array.isArray(value) ? value : []).map((v) => String(v).toLowerCase()));
      if (rights.has('add') && rights.has('edit')) return { ok: true, why: '' };
    }
  }
  return { ok: false, why: `no add and edit on it in ${levels.map((l) => l.address).join(', ')}` };
}
