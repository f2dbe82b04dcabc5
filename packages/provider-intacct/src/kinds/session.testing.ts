import type { KindApi, KindRequest, ProviderConnection } from '@roster/core';
import type { IntacctConnection } from '../connection.js';
import { groupKind } from './group/index.js';
import { securityLevelKind } from './security-level/index.js';
import { serviceAccountKind } from './service-account/index.js';

const KINDS: Record<string, { api: KindApi<IntacctConnection> }> = {
  ServiceAccount: serviceAccountKind,
  SecurityLevel: securityLevelKind,
  Group: groupKind,
};

type Method = 'list' | 'read' | 'create' | 'update' | 'delete' | 'test';
type Methods = Required<Pick<ProviderConnection, Method>>;

/** A connection with each kind's operations reachable by the request's `kind`, as core's session calls them. */
export type KindSession = Pick<IntacctConnection, 'client' | 'validate' | 'stats' | 'close'> & Methods;

/**
 * For tests that drive one connection through every kind: `session.create({kind, …})` calls that
 * kind's `api.create` with the connection, as core does (the connection itself has no operations).
 */
export function kindSession(conn: IntacctConnection): KindSession {
  const dispatch =
    (method: Method) =>
    async (req: { kind: string }): Promise<unknown> => {
      const api = KINDS[req.kind]?.api;
      const fn = api?.[method] as
        | ((r: KindRequest<unknown, IntacctConnection>) => Promise<unknown>)
        | undefined;
      if (!api)
        throw new Error(`Sage Intacct has no kind ${req.kind} (known: ${Object.keys(KINDS).join(', ')})`);
      if (!fn) throw new Error(`${req.kind} has no ${method} by API`);
      return fn.call(api, { ...req, connection: conn });
    };
  const methods = Object.fromEntries(
    (['list', 'read', 'create', 'update', 'delete', 'test'] as const).map((m) => [m, dispatch(m)]),
  ) as unknown as Methods;
  return {
    ...methods,
    client: conn.client,
    validate: (req) => conn.validate(req),
    stats: () => conn.stats(),
    close: () => conn.close(),
  };
}
