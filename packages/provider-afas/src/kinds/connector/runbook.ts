import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { checkBox, compact, listValue, refName, SYSTEM } from '../common.js';

const APP_CONNECTOR = ['General', 'Management', 'App connector'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A connector list attribute's ids (none when absent). */
export function connectorLists(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** What a connector list change adds and removes, for the operator. */
function listDelta(label: string, before: unknown, after: unknown): string | undefined {
  const b = new Set(connectorLists(before).map((x) => x.toLowerCase()));
  const a = new Set(connectorLists(after).map((x) => x.toLowerCase()));
  const added = connectorLists(after).filter((x) => !b.has(x.toLowerCase()));
  const removed = connectorLists(before).filter((x) => !a.has(x.toLowerCase()));
  if (added.length === 0 && removed.length === 0) return undefined;
  return `${label}: ${compact([
    added.length > 0 && `add ${added.join(', ')} (New, select the check boxes)`,
    removed.length > 0 && `remove ${removed.join(', ')}`,
  ]).join('; ')}.`;
}

/** Adding an app connector (AFAS's "Add your own app connector"). */
function create(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  return {
    system: SYSTEM,
    title: `Add app connector '${req.naturalKey}'`,
    uiPath: [...APP_CONNECTOR, 'New'],
    fields: [
      { label: 'Description', value: req.naturalKey },
      { label: 'User group', value: refName(a.group) ?? '' },
      {
        label: 'GetConnectors (tab GetConnectors › New)',
        value: listValue(connectorLists(a.getConnectors)),
      },
      {
        label: 'UpdateConnectors (tab UpdateConnectors › New)',
        value: listValue(connectorLists(a.updateConnectors)),
      },
      { label: 'Blocked (tab General)', value: checkBox(true) },
    ],
    notes: [
      'Click Finish after the user group: the properties open, with the tabs GetConnectors, UpdateConnectors and General.',
      'On the GetConnectors and UpdateConnectors tabs click New, select the check boxes of the connectors listed, and click Finish.',
      'A new app connector is blocked: leave Blocked checked. Unblocking is a separate step of the plan.',
      'Use the description the app’s users know: Profit uses it as the subject of the OTP e-mail.',
    ],
  };
}

/** Changing an app connector's properties: only the attributes that change, with what that means. */
function update(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const c = req.changes ?? {};
  const prior = req.prior ?? {};
  const fields = compact([
    'description' in c && { label: 'Description (tab General)', value: str(c.description) },
    'group' in c && { label: 'User group (tab General)', value: refName(c.group) ?? '' },
    'getConnectors' in c && {
      label: 'GetConnectors (tab GetConnectors)',
      value: listValue(connectorLists(c.getConnectors)),
    },
    'updateConnectors' in c && {
      label: 'UpdateConnectors (tab UpdateConnectors)',
      value: listValue(connectorLists(c.updateConnectors)),
    },
    'blocked' in c && { label: 'Blocked (tab General)', value: checkBox(c.blocked) },
  ]);
  const notes = compact([
    'getConnectors' in c && listDelta('GetConnectors', prior.getConnectors, c.getConnectors),
    'updateConnectors' in c && listDelta('UpdateConnectors', prior.updateConnectors, c.updateConnectors),
    c.blocked === false &&
      `Unblocking lets every member of user group ${refName(a.group) ?? '?'} with a token exchange data through it.`,
    c.blocked === true && 'Blocking stops every user of this app connector at once.',
    'group' in c && 'Users of the old group lose access; their tokens stay but no longer work.',
    'Click OK.',
  ]);
  const shown = str(prior.description) || req.naturalKey;
  return {
    system: SYSTEM,
    title:
      c.blocked === false && Object.keys(c).length === 1
        ? `Unblock app connector '${shown}'`
        : `Change app connector '${shown}'`,
    uiPath: [...APP_CONNECTOR, shown, 'Properties'],
    fields,
    notes,
  };
}

/** Removing an app connector is deleting it. */
function remove(req: RunbookRequest): RunbookStep {
  return {
    system: SYSTEM,
    title: `Delete app connector '${req.naturalKey}'`,
    uiPath: [...APP_CONNECTOR, req.naturalKey, 'Delete'],
    fields: [],
    notes: ['Every user token of this app connector stops working.'],
  };
}

/** The periodic access review: no API reads app connectors, so each value is confirmed in the UI. */
function reconfirm(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const check = new Set(req.reconfirm ?? Object.keys(a));
  return {
    system: SYSTEM,
    title: `Confirm app connector '${req.naturalKey}'`,
    uiPath: [...APP_CONNECTOR, req.naturalKey, 'Properties'],
    fields: compact([
      check.has('group') && { label: 'User group (tab General)', value: refName(a.group) ?? '' },
      check.has('getConnectors') && {
        label: 'GetConnectors (tab GetConnectors)',
        value: listValue(connectorLists(a.getConnectors)),
      },
      check.has('updateConnectors') && {
        label: 'UpdateConnectors (tab UpdateConnectors)',
        value: listValue(connectorLists(a.updateConnectors)),
      },
      check.has('blocked') && { label: 'Blocked (tab General)', value: checkBox(a.blocked) },
    ]),
    notes: [
      'No API reads app connectors: check each value in the UI and confirm (the periodic access review).',
    ],
  };
}

/** The steps of an app connector, all in Profit's UI (General › Management › App connector). */
export const connectorRunbook = {
  create,
  update,
  delete: remove,
  deactivate: remove,
  reconfirm,
} satisfies KindRunbook;
