import type { CheckRequest, CheckResult } from '@roster/core';
import type { ServiceAccountSpec } from './spec.js';

/** Checks of one web services user's spec: admin privileges only for business users; matching e-mails. */
export function check(req: CheckRequest): CheckResult {
  const spec = req.spec as Partial<ServiceAccountSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  const userType = spec.userType ?? 'business';
  if (spec.adminPrivileges && spec.adminPrivileges !== 'off' && userType !== 'business') {
    diagnostics.push({
      severity: 'error',
      code: 'intacct.admin-privileges',
      path: '/adminPrivileges',
      message: `Intacct allows admin privileges only for business users: ${req.name} has userType ${userType} and adminPrivileges ${spec.adminPrivileges}; set adminPrivileges: off or userType: business`,
    });
  }
  const contactEmail = spec.contact?.email;
  if (spec.email && contactEmail && spec.email.trim().toLowerCase() !== contactEmail.trim().toLowerCase()) {
    diagnostics.push({
      severity: 'warning',
      code: 'intacct.email-mismatch',
      path: '/email',
      message: `email ${spec.email} differs from the contact's primary e-mail ${contactEmail}; Intacct requires them to match when the e-mail changes (set contact.email to the same address)`,
    });
  }
  return { diagnostics };
}

/**
 * Intacct checks a new account e-mail against the linked contact's primary e-mail, so when both
 * change the contact must be updated first.
 */
export function updateSteps(req: { changed: readonly string[] }): string[] {
  if (!req.changed.includes('email') || !req.changed.includes('contact')) return [];
  return [
    "update the linked contact's primary e-mail (company-config/contact email1)",
    "then update the user's account e-mail (accountEmail), which Intacct checks against the contact's",
  ];
}
