import type { CheckRequest, CheckResult } from '@roster/core';

/** At most one primary address (RFC 7643 §2.4: "primary" true for one value at most). */
export function checkServiceAccount(req: CheckRequest): CheckResult {
  const emails = Array.isArray(req.spec.emails) ? (req.spec.emails as Array<{ primary?: boolean }>) : [];
  const primaries = emails.flatMap((e, i) => (e.primary === true ? [i] : []));
  return {
    diagnostics: primaries.slice(1).map((i) => ({
      severity: 'error' as const,
      code: 'scim.email.primary',
      message: 'only one email may be primary: a SCIM server keeps the last one and clears the others',
      path: `/emails/${i}/primary`,
    })),
  };
}
