import type { PolicyRule } from '@roster/core';
import { isOldForm, oldFormMessage } from './permission-data/catalogue.js';

/** Intacct's policy rules. */
export const intacctPolicies: PolicyRule[] = [
  {
    id: 'intacct.permission-old-form',
    description:
      "A role in state was recorded with roster's earlier <application>/<object> permission keys; Intacct names permissions <module>/<name> (company-config/permission).",
    // A warning, not an error: an error would block the very apply that records the new form.
    severity: 'warning',
    evaluate(ctx) {
      const intacct = new Set(
        [...ctx.world.resources, ...ctx.desired]
          .filter((r) => r.providerType === 'intacct')
          .map((r) => r.provider),
      );
      const hits = [];
      for (const [address, entry] of Object.entries(ctx.state.resources)) {
        if (entry.kind !== 'SecurityLevel' || !intacct.has(entry.provider)) continue;
        const perms = entry.attributes.permissions;
        if (!perms || typeof perms !== 'object') continue;
        const old = Object.keys(perms).filter(isOldForm);
        if (old.length === 0) continue;
        hits.push({
          address,
          message: `state of ${address} holds permissions in the old form: ${old.map(oldFormMessage).join('; ')}. write the new form in the manifest, then record what Intacct has with roster plan --refresh-only --out FILE and roster apply FILE`,
        });
      }
      return hits;
    },
  },
  {
    id: 'intacct.web-services-admin',
    description:
      'A web services user with admin privileges (limited or full): an integration credential that can create users, change roles and, when full, make other administrators.',
    severity: 'error',
    evaluate(ctx) {
      return ctx.desired
        .filter(
          (r) =>
            r.providerType === 'intacct' &&
            r.kind === 'ServiceAccount' &&
            (r.attributes.adminPrivileges === 'limited' || r.attributes.adminPrivileges === 'full'),
        )
        .map((r) => ({
          address: r.address,
          message: `web services user ${String(r.attributes.id)} has adminPrivileges ${String(r.attributes.adminPrivileges)}: an integration needs roles, not administrator rights (set adminPrivileges: off)`,
          pointer: '/spec/adminPrivileges',
        }));
    },
  },
];
