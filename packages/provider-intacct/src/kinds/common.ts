import type { Execution, Operation } from '@roster/core';

/** Shared by every provider (`@roster/core` provider kit). */
export { compareText, refSchema, sortedRefs } from '@roster/core';

/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/intacct';

/** Everything these kinds support is done through the REST API. */
export const ALL_API: Record<Operation, Execution> = {
  create: 'api',
  read: 'api',
  update: 'api',
  delete: 'api',
};
