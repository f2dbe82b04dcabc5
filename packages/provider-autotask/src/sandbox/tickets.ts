import type { Caller } from './auth.js';
import { SimError } from './errors.js';
import type { QueryEntity, QueryField } from './query.js';
import type { SimDb } from './store.js';

/**
 * The `Tickets` entity, as far as the sandbox serves it: queries that a security level must allow.
 * The sandbox database holds no tickets (it has no service desk), so a permitted query answers an
 * empty page; what it exercises is Autotask's permission check, which `roster test` relies on.
 */

/** A few of the Tickets fields Autotask documents: enough to write the queries integrations send. */
export const TICKET_FIELDS: readonly QueryField[] = [
  { name: 'id', dataType: 'long' },
  { name: 'ticketNumber', dataType: 'string' },
  { name: 'title', dataType: 'string' },
  { name: 'status', dataType: 'integer' },
  { name: 'priority', dataType: 'integer' },
  { name: 'queueID', dataType: 'integer' },
  { name: 'companyID', dataType: 'integer' },
  { name: 'assignedResourceID', dataType: 'integer' },
  { name: 'createDate', dataType: 'datetime' },
  { name: 'lastActivityDate', dataType: 'datetime' },
];

const BY_LOWER = new Map(TICKET_FIELDS.map((f) => [f.name.toLowerCase(), f]));

export const TICKET_ENTITY: QueryEntity<QueryField> = {
  name: 'Ticket',
  fieldNamed: (name) => BY_LOWER.get(name.toLowerCase()),
};

/** The security level permission (as the Security Levels page names it) that governs tickets. */
export const TICKETS_PERMISSION = 'Service Desk › Tickets';

/** Whether a permission value lets its holders view the object: a scope other than None, or View among the rights. */
export function grantsView(value: string | readonly string[] | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value === 'All' || value === 'Mine';
  return value.includes('View');
}

/**
 * Refuse an API user of the database whose security level does not let it view tickets, as
 * Autotask does. The status and body of Autotask's refusal are unconfirmed (its OpenAPI declares
 * 403); the sandbox answers 403 with Autotask's `errors` list. Callers that are not API users of
 * the database (the declared credentials, or anyone in a sandbox without) are not restricted.
 */
export function checkTicketAccess(db: SimDb, caller: Caller): void {
  if (!caller.resourceKey) return;
  const user = db.table('resource').get(caller.resourceKey);
  const levelKey = user?.apiUser?.securityLevel;
  const level = levelKey !== undefined ? db.table('securityLevel').get(levelKey) : undefined;
  if (level && grantsView(level.permissions[TICKETS_PERMISSION])) return;
  throw new SimError(
    403,
    `The logged in user does not have permission to query the Ticket entity: its security level ${
      level ? `"${level.name}" ` : ''
    }grants no View on ${TICKETS_PERMISSION}.`,
  );
}
