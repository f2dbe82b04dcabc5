import type { RemoteObject } from '@roster/core';
import { GROUP_SCHEMA } from '../../client/discovery.js';
import { ScimError } from '../../client/errors.js';
import type { ScimResource } from '../../client/scim-client.js';
import type { ScimConnection } from '../../connection.js';
import { field } from '../service-account/wire.js';

type Conn = { connection: ScimConnection };

function remote(g: ScimResource): RemoteObject {
  const displayName = String(field(g, 'displayName') ?? '');
  return { id: g.id, naturalKey: displayName, attributes: { displayName } };
}

export async function listGroups({ connection }: Conn): Promise<{ objects: RemoteObject[] }> {
  const groups = await connection.groups();
  return {
    objects: groups.map((g) => ({
      id: g.id,
      naturalKey: g.displayName,
      attributes: { displayName: g.displayName },
    })),
  };
}

export async function readGroup({
  connection,
  id,
}: Conn & { id: string }): Promise<{ object: RemoteObject | undefined }> {
  const g = await connection.getResource('Group', id, `read group ${id}`);
  return { object: g && remote(g) };
}

/** POST /Groups; a 409 means a group of that name exists: it is adopted. */
export async function createGroup({
  connection,
  attributes,
}: Conn & { attributes: Record<string, unknown> }): Promise<{ object: RemoteObject }> {
  const displayName = String(attributes.displayName);
  try {
    return {
      object: remote(
        await connection.createResource(
          'Group',
          { schemas: [GROUP_SCHEMA], displayName, members: [] },
          { attribute: 'displayName', value: displayName },
          `create group ${displayName}`,
        ),
      ),
    };
  } catch (err) {
    if (!(err instanceof ScimError && err.exists)) throw err;
    const [found] = await connection.find(
      'Group',
      'displayName',
      displayName,
      `look up group ${displayName}`,
    );
    if (!found) throw err;
    return { object: remote(found) };
  }
}

export async function updateGroup({
  connection,
  id,
  changes,
}: Conn & { id: string; changes: Record<string, unknown> }): Promise<{ object: RemoteObject }> {
  const displayName = String(changes.displayName);
  const what = `rename group ${id} to ${displayName}`;
  const g = await connection.modify(
    'Group',
    id,
    [{ op: 'replace', path: 'displayName', value: displayName }],
    (current) => ({ ...current, displayName }),
    what,
  );
  return { object: remote(g) };
}

export async function deleteGroup({ connection, id }: Conn & { id: string }): Promise<Record<string, never>> {
  await connection.deleteResource('Group', id, `delete group ${id}`);
  return {};
}
