/** Shared by every provider (`@roster/core` provider kit). */
export { compareText, sortedRefs } from '@roster/core';

/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/intacct';
