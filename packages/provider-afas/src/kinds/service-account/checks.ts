import type { CheckRequest, CheckResult } from '@roster/core';
import type { ServiceAccountSpec } from './spec.js';

/** roster's rules for a token user: an e-mail address, and Profit Windows or InSite. */
export function checkServiceAccount(req: CheckRequest): CheckResult {
  const s = req.spec as unknown as ServiceAccountSpec;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (!s.email) {
    // roster's policy, not a rule of AFAS: KnUser accepts a user without EmAd (only OutSite needs
    // one). A token user may have to request its token through the OTP flow, which AFAS mails.
    diagnostics.push({
      severity: 'error',
      code: 'afas.roster-email-required',
      message: `${s.userId} needs an e-mail address (roster's rule, not AFAS's: AFAS accepts a user without one, but mails the one-time password of its OTP token flow to it)`,
      path: '/email',
    });
  }
  if (s.windows !== true && s.inSite !== true) {
    diagnostics.push({
      severity: 'error',
      code: 'afas.application-required',
      message: `${s.userId} needs Profit Windows or InSite enabled (windows: true or inSite: true): AFAS requires one for members of an app connector's user group`,
      // InSite is the fix AFAS advises for integration users; point at Windows only when only it is set.
      path: s.inSite !== undefined || s.windows === undefined ? '/inSite' : '/windows',
    });
  }
  if (s.windows === true) {
    diagnostics.push({
      severity: 'info',
      code: 'afas.windows-access',
      message: `${s.userId} has Profit Windows access; AFAS recommends integration users without it (InSite suffices for app connectors)`,
      path: '/windows',
    });
  }
  return { diagnostics };
}

/** The API steps an update takes, in order, when they are not one call. */
export function serviceAccountUpdateSteps(req: { changed: readonly string[] }): string[] {
  const steps: string[] = [];
  const changed = new Set(req.changed);
  if (['name', 'email', 'person', 'windows', 'inSite'].some((k) => changed.has(k))) {
    steps.push(
      'KnUser PUT with MtCd 1: name, e-mail, person and applications (the block status stays as it is)',
    );
  }
  if (changed.has('groups')) {
    steps.push(
      'groups added: KnUser PUT with MtCd 1 and GrId, one per group',
      'groups removed: KnUser cannot leave one group, so MtCd 0 (block, leave all groups), MtCd 1 with GrId per remaining group, then MtCd 6 (unblock): the account cannot exchange data for those seconds',
    );
  }
  if (changed.has('blocked')) steps.push('KnUser PUT with MtCd 2 (block) or MtCd 6 (unblock)');
  if (changed.has('connector'))
    steps.push('then the token, by hand: App connector › User tokens (manual step)');
  return steps;
}
