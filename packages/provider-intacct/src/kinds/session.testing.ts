import { type KindSession as CoreSession, kindSession as coreSession } from '@roster/core/testing';
import type { IntacctConnection } from '../connection.js';
import provider from '../provider.js';

/** Core's session over an Intacct connection, with the connection's client for direct checks. */
export type KindSession = CoreSession &
  Required<Pick<CoreSession, 'list' | 'read' | 'create' | 'update' | 'delete' | 'test' | 'validate'>> &
  Pick<IntacctConnection, 'client'>;

/**
 * For tests that drive one connection through every kind: `session.create({kind, …})` calls that
 * kind's `api.create` with the connection, as core does (the connection itself has no operations).
 */
export function kindSession(conn: IntacctConnection): KindSession {
  // Every method is there: Intacct's kinds have each operation between them, and a validate.
  return Object.assign(coreSession(provider.kinds, conn), { client: conn.client }) as KindSession;
}
