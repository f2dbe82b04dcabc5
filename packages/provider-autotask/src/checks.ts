import type { ProviderCheckRequest, ProviderCheckResult } from '@roster/core';
import { describePermission, SYSTEM_API_LEVELS, VENDOR_REQUIREMENTS } from './facts.js';
import { refName } from './kinds/common.js';
import { normalizeEmail } from './kinds/service-account/spec.js';

type Diagnostic = ProviderCheckResult['diagnostics'][number];
type Resource = ProviderCheckRequest['resources'][number];

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Whether a declared permission grants at least what a vendor requires. */
function grants(declared: unknown, need: { scope?: string; rights?: readonly string[] }): boolean {
  if (declared === 'All') return true;
  if (need.scope) return declared === need.scope;
  return Array.isArray(declared) && (need.rights ?? []).every((r) => declared.includes(r));
}

/**
 * Checks across one Autotask provider's resources, which no single manifest can answer:
 *
 * - two API users with the same e-mail (error: roster tells API users apart by e-mail);
 * - two security levels with the same name, regardless of case (error: Autotask refuses it);
 * - a security level copied from a level that is neither one of Autotask's API-user levels nor
 *   declared here (warning: only API-only levels can be given to API users);
 * - an API user whose security level is declared inactive (warning: Autotask offers only active
 *   levels in the API user form);
 * - an API user whose integration vendor needs permissions its security level explicitly narrows
 *   (warning, from the vendor's setup procedure, e.g. Office Protect needs CRM › Account & Contact
 *   Access: All and Service Desk › Tickets: View, Add, Edit).
 */
export function checkProvider(req: ProviderCheckRequest): ProviderCheckResult {
  const diagnostics: Diagnostic[] = [];
  const levels = new Map<string, Resource>();
  const levelNames = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const r of req.resources) {
    if (r.kind !== 'SecurityLevel') continue;
    levels.set(r.name, r);
    const name = typeof r.spec.name === 'string' ? r.spec.name : undefined;
    if (!name) continue;
    const first = levelNames.get(name.toLowerCase());
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'autotask.duplicate-security-level',
        message: `security level name ${name} is also declared by ${first}: Autotask level names are unique regardless of case`,
        address: r.address,
        path: '/name',
      });
    } else levelNames.set(name.toLowerCase(), r.address);
  }
  const systemLevels = new Set(SYSTEM_API_LEVELS.map((l) => l.toLowerCase()));
  for (const r of levels.values()) {
    const base = r.spec.copiedFrom;
    if (
      typeof base !== 'string' ||
      systemLevels.has(base.toLowerCase()) ||
      levelNames.has(base.toLowerCase())
    )
      continue;
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.copied-from-unknown',
      message: `security level ${String(r.spec.name ?? r.name)} is copied from ${base}, which is neither one of Autotask's API-user levels (${SYSTEM_API_LEVELS.join(', ')}) nor declared here: only copies of API-only levels can be given to API users`,
      address: r.address,
      path: '/copiedFrom',
    });
  }
  for (const r of req.resources) {
    if (r.kind !== 'ServiceAccount') continue;
    const email = normalizeEmail(r.spec.email);
    if (email) {
      const first = emails.get(email);
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'autotask.duplicate-email',
          message: `e-mail ${String(r.spec.email)} is also declared by ${first}: roster tells Autotask API users apart by e-mail, so each needs its own`,
          address: r.address,
          path: '/email',
        });
      } else emails.set(email, r.address);
    }
    const target = refName(r.spec.securityLevel);
    const level = target !== undefined ? levels.get(target) : undefined;
    if (!level) continue;
    const levelName = String(level.spec.name ?? level.name);
    if (level.spec.active === false) {
      diagnostics.push({
        severity: 'warning',
        code: 'autotask.inactive-security-level',
        message: `API user ${String(r.spec.email ?? r.name)} has security level ${levelName}, which is declared inactive: Autotask offers only active levels in the API user form`,
        address: r.address,
        path: '/securityLevel',
      });
    }
    const vendor = typeof r.spec.integrationVendor === 'string' ? r.spec.integrationVendor : '';
    const needs = VENDOR_REQUIREMENTS[vendor] ?? [];
    const perms = isObject(level.spec.permissions) ? level.spec.permissions : {};
    for (const need of needs) {
      if (!(need.permission in perms) || grants(perms[need.permission], need)) continue;
      diagnostics.push({
        severity: 'warning',
        code: 'autotask.vendor-permissions',
        message: `${vendor} needs ${need.permission}: ${need.scope ?? `at least ${need.rights?.join(', ')}`}, but security level ${levelName} gives ${describePermission(perms[need.permission])}`,
        address: r.address,
        path: '/securityLevel',
      });
    }
  }
  return { diagnostics };
}
