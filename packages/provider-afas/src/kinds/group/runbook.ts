import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { checkBox, SYSTEM } from '../common.js';
import type { GroupSpec } from './spec.js';

const TOOL = ['General', 'Management', 'Authorisation tool'];

const attributesOf = (req: RunbookRequest) => req.attributes as Partial<GroupSpec>;

/** Removing a user group is deleting it (Profit has no inactive groups). */
function remove(req: RunbookRequest): RunbookStep {
  const id = req.naturalKey;
  return {
    system: SYSTEM,
    title: `Delete user group ${id}`,
    uiPath: [...TOOL, 'Group maintenance', id, 'Actions', 'Delete'],
    fields: [],
    notes: [
      'Profit refuses to delete a group still linked to other data, such as an app connector: relink or delete the app connector first.',
      'The group of all Profit users cannot be deleted.',
    ],
  };
}

/** The steps of a user group, all in the Authorisation tool (from AFAS's procedures). */
export const groupRunbook = {
  create: (req) => ({
    system: SYSTEM,
    title: `Add user group ${req.naturalKey}`,
    uiPath: [...TOOL, 'Group', 'New'],
    fields: [
      { label: 'Group', value: req.naturalKey },
      { label: 'Description', value: String(attributesOf(req).description ?? '') },
      { label: 'Complete automatically', value: checkBox(false) },
    ],
    notes: [
      'Click Finish.',
      'Do not add users on the Users in group tab: roster puts its ServiceAccounts in the group through the API (KnUser with GrId).',
      'Every member needs an e-mail address and Profit Windows or InSite enabled; roster checks this for its ServiceAccounts.',
    ],
  }),
  update: (req) => ({
    system: SYSTEM,
    title: `Change user group ${req.naturalKey}`,
    uiPath: [...TOOL, 'Group maintenance', req.naturalKey],
    fields: [
      {
        label: 'Description',
        value: String(req.changes?.description ?? attributesOf(req).description ?? ''),
      },
    ],
    notes: ['Close the Authorisation tool to save the change.'],
  }),
  delete: remove,
  deactivate: remove,
  reconfirm: (req) => ({
    system: SYSTEM,
    title: `Confirm user group ${req.naturalKey}`,
    uiPath: [...TOOL, 'Group maintenance', req.naturalKey],
    fields: [{ label: 'Description', value: String(attributesOf(req).description ?? '') }],
    notes: ['Check that the group exists with this description.'],
  }),
} satisfies KindRunbook;
