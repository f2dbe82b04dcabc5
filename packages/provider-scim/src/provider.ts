import type { Provider } from '@roster/core';
import { configSchema } from './config.js';
import { connectScim } from './connect.js';
import { groupKind } from './kinds/group/kind.js';
import { serviceAccountKind } from './kinds/service-account/kind.js';

/** Any SCIM 2.0 service: service users and groups (RFC 7643/7644). */
const provider = {
  type: 'scim',
  displayName: 'SCIM 2.0',
  description:
    'Any SCIM 2.0 service (RFC 7643/7644): service users (ServiceAccount) and their Groups. roster reads ServiceProviderConfig, ResourceTypes and Schemas first, then uses PATCH or PUT, paging and ETags as the server offers them.',
  configSchema,
  kinds: { ServiceAccount: serviceAccountKind, Group: groupKind },
  // With `endpoint: sandbox`, core has started the simulator (`./sandbox`) and put its address here.
  connect: (req) => connectScim(req, String(req.config.endpoint)),
} satisfies Provider;

export default provider;
