import {
  type ConnectRequest,
  credentialsOrPlaceholder,
  declaredCredentials,
  Secret,
  UserError,
} from '@roster/core';
import type { HttpClientOptions } from '@roster/http';
import { ScimError } from './client/errors.js';
import { type ScimAuth, ScimClient } from './client/scim-client.js';
import { DEFAULT_PAGE_SIZE, SANDBOX_PLACEHOLDER_TOKEN, type ScimConfig } from './config.js';
import { ScimConnection } from './connection.js';

/** The credentials the Provider document declares: a token, or a username and password. */
export function declaredAuth(name: string, creds: ConnectRequest['credentials']): ScimAuth | undefined {
  const token = declaredCredentials(name, creds, ['token']);
  const basic = declaredCredentials(name, creds, ['username', 'password']);
  if (token && basic)
    throw new UserError(`provider ${name}: credentials take a token or a username and password, not both`);
  return token ?? basic;
}

/** Connect to the SCIM server at `endpoint` and read its discovery endpoints before anything else. */
export async function connectScim(
  req: ConnectRequest,
  endpoint: string,
  /** Tests: waits, attempts, page size. */
  tune: { http?: HttpClientOptions; pageSize?: number } = {},
): Promise<ScimConnection> {
  const config = req.config as unknown as ScimConfig;
  const auth = credentialsOrPlaceholder<ScimAuth>({
    name: req.name,
    endpoint: String(config.endpoint),
    declared: declaredAuth(req.name, req.credentials),
    placeholder: { token: new Secret(SANDBOX_PLACEHOLDER_TOKEN, 'sandbox placeholder') },
    needs: 'credentials: {token: ${env:…}} or {username: …, password: …}',
  });
  const client = new ScimClient({
    endpoint,
    auth,
    pageSize: tune.pageSize ?? config.pageSize ?? DEFAULT_PAGE_SIZE,
    http: {
      onRetry: (e) =>
        req.log.debug(`scim: ${req.name}: retry ${e.what} (${e.reason}), waiting ${e.waitMs} ms`),
      ...tune.http,
    },
  });
  try {
    const facts = await client.discover();
    for (const type of ['User', 'Group'])
      if (!facts.resourceTypes[type])
        req.log.debug(`scim: ${req.name}: /ResourceTypes names no ${type}; using /${type}s`);
    return new ScimConnection(client, facts, config);
  } catch (err) {
    if (err instanceof ScimError) throw new UserError(`provider ${req.name}: ${err.message}`);
    throw err;
  }
}
