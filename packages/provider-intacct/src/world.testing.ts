import type { WorldResource } from '@roster/core';

/** A resource of the `books` provider as the checks and policies see it in the world. */
export const at = (kind: string, name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `books/${kind}/${name}`,
  provider: 'books',
  providerType: 'intacct',
  kind,
  name,
  naturalKey: String(attributes.id ?? attributes.name ?? name),
  labels: {},
  attributes,
});
