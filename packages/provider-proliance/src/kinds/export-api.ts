import type { KindApi } from '@roster/core';
import { exportObjects } from '../client/to-remote.js';
import type { ProlianceConnection } from '../connection.js';

/**
 * A kind's API: what Proliance offers of it, reading the registers' export (`list`, `read`).
 * Writes are manual steps (each kind's runbook).
 */
export function exportApi(kind: string): KindApi<ProlianceConnection> {
  return {
    async list({ connection }) {
      return { objects: exportObjects(await connection.export(), kind) };
    },
    async read({ connection, id }) {
      const objects = exportObjects(await connection.export(), kind);
      return { object: objects.find((o) => o.id === id && !o.conflict) };
    },
  };
}
