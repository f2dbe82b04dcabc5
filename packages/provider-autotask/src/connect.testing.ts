import { type ConnectRequest, silentLogger } from '@roster/core';

/** The connect request of the `autotask-prod` provider with this config, quiet unless `extra` gives a log. */
export function connectRequest(
  config: Record<string, unknown>,
  extra: Partial<ConnectRequest> = {},
): ConnectRequest {
  return {
    name: 'autotask-prod',
    config: { type: 'autotask', ...config },
    credentials: {},
    readOnly: false,
    log: silentLogger,
    ...extra,
  };
}
