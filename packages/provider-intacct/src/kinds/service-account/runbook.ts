import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';

/** Why a reset needs planning with the integration's owner (the seed's warning). */
export const RESET_BREAKS =
  "Resetting a web services user's password can break the integrations that sign in as it: Intacct e-mails the user a new permanent password, and each integration fails until it is given the new one. Plan the reset with the integration's owner and update the integration at once.";

/**
 * The one manual step of a web services user: a password reset (Intacct's API cannot reset
 * passwords; the UI does, and e-mails the new permanent password to the user).
 */
function rotate(req: RunbookRequest): RunbookStep {
  const id = String(req.attributes.id ?? req.naturalKey);
  return {
    system: 'Sage Intacct',
    title: `Reset the password of web services user ${id}`,
    uiPath: ['Company', 'Admin', 'Users, roles and groups', 'Web services users', id, 'Edit'],
    fields: [{ label: 'Reset password', value: 'select it' }],
    notes: [
      `Find ${id} in the list of web services users and choose Edit at the end of its row.`,
      'Select Reset password, then Save, enter your own password and select Verify.',
      `Intacct e-mails the new permanent password to the user's account e-mail (${String(req.attributes.email ?? 'its account e-mail')}).`,
      RESET_BREAKS,
    ],
    secrets: [{ label: 'the new password from the e-mail', credential: 'password' }],
  };
}

/** The manual steps of a web services user: only the password reset. */
export const serviceAccountRunbook = { rotate } satisfies KindRunbook;
