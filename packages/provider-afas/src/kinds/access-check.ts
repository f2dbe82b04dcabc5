import type { ProviderCheckRequest, ProviderCheckResult } from '@roster/core';
import { DEFAULT_ALL_USERS_GROUP } from '../config.js';
import { refName, refNames } from './common.js';

type Resource = ProviderCheckRequest['resources'][number];
type Diagnostic = ProviderCheckResult['diagnostics'][number];

/**
 * The "effective access" check. Per AFAS, a user can exchange data through an app connector only
 * when all of these hold: the user is a member of the user group linked to the app connector, the
 * user holds a valid token for it, and the app connector is not blocked (and a blocked user cannot
 * sign in at all). For every ServiceAccount that the desired resources would leave unable to, a
 * warning names the condition that fails, at the attribute to change.
 *
 * A Group whose code is the all-users group counts every user as a member.
 */
export function checkEffectiveAccess(req: ProviderCheckRequest): ProviderCheckResult {
  const byName = (kind: string) =>
    new Map(req.resources.filter((r) => r.kind === kind).map((r) => [r.name, r]));
  const connectors = byName('Connector');
  const groups = byName('Group');
  const diagnostics: Diagnostic[] = [];
  for (const sa of req.resources.filter((r) => r.kind === 'ServiceAccount')) {
    const s = sa.spec;
    const who = String(s.userId ?? sa.name);
    const cannot = `${who} cannot exchange data`;
    const warn = (
      code: string,
      path: string,
      message: string,
      severity: Diagnostic['severity'] = 'warning',
    ) => diagnostics.push({ severity, code, message: `${cannot}: ${message}`, address: sa.address, path });

    if (s.blocked === true) {
      warn('afas.access-user-blocked', '/blocked', 'the user is blocked', 'info');
    }
    const connectorName = refName(s.connector);
    if (!connectorName) {
      warn(
        'afas.access-no-token',
        '/connector',
        'it holds no token for any app connector (set connector to the app connector it uses)',
      );
      continue;
    }
    const credentials = s.credentials as Record<string, unknown> | undefined;
    if (credentials?.token === undefined) {
      warn(
        'afas.access-no-token',
        '/credentials',
        'no credentials.token names where its token is stored; AFAS shows a token once, so give it a place (${env:…} or ${file:…})',
      );
    }
    const connector: Resource | undefined = connectors.get(connectorName);
    if (!connector) continue; // an unresolved reference is reported by the engine
    const c = connector.spec;
    const label = `app connector '${String(c.description ?? connector.name)}'`;
    if (c.blocked === true) {
      warn(
        'afas.access-connector-blocked',
        '/connector',
        `${label} is blocked (blocked: true on ${connector.address})`,
      );
    } else if (c.blocked !== false) {
      warn(
        'afas.access-connector-blocked',
        '/connector',
        `${label} does not declare blocked: false, and a new app connector starts blocked`,
      );
    }
    const groupName = refName(c.group);
    if (!groupName) continue;
    const group = groups.get(groupName);
    const groupId = String(group?.spec.id ?? groupName);
    const everybody = groupId.toLowerCase() === DEFAULT_ALL_USERS_GROUP.toLowerCase();
    if (!everybody && !refNames(s.groups).includes(groupName)) {
      warn(
        'afas.access-not-in-group',
        '/groups',
        `it is not a member of user group ${groupId}, which ${label} is linked to (add { ref: ${groupName} } to groups)`,
      );
    }
  }
  return { diagnostics };
}
